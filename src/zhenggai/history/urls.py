from django.urls import path

from zhenggai.history import views

app_name = "history"
urlpatterns = [
    path("rounds/<int:pk>/", views.round_history, name="round"),
    path("problems/<int:pk>/", views.problem_history, name="problem"),
    path("measures/<int:pk>/", views.measure_history, name="measure"),
]
