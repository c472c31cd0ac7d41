from django.urls import path

from zhenggai.todo import views

app_name = "todo"
urlpatterns = [
    path("", views.home, name="home"),
]
