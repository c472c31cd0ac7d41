from django.urls import path

from zhenggai.oversight import trend_views

app_name = "oversight"
urlpatterns: list = [
    path("trend/", trend_views.trend, name="trend"),
]
