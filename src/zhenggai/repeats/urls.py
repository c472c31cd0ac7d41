from django.urls import path

from zhenggai.repeats import views

app_name = "repeats"
urlpatterns = [
    path("", views.repeat_list, name="list"),
    path("links/<int:pk>/decide/", views.link_decide, name="link_decide"),
    path("problems/<int:pk>/link/", views.link_add, name="link_add"),
    path("rounds/<int:pk>/follow-up/", views.follow_up_create, name="follow_up_create"),
]
