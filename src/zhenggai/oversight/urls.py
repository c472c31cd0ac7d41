from django.urls import path

from zhenggai.oversight import trend_views, views

app_name = "oversight"
urlpatterns: list = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.xlsx", views.export, name="export"),
    path("trend/", trend_views.trend, name="trend"),
]
