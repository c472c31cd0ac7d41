from django.urls import path

from zhenggai.reminders import views

app_name = "reminders"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("settings/", views.policy, name="policy"),
]
