from django.urls import path

from zhenggai.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.signal_list, name="list"),
    path("measures/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
    path("measures/<int:pk>/restore/", views.restore, name="restore"),
]
