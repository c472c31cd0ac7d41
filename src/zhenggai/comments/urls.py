from django.urls import path

from zhenggai.comments import views

app_name = "comments"
urlpatterns = [
    path("rounds/<int:pk>/comments/", views.round_comments, name="round_comments"),
    path("comments/<int:pk>/answer/", views.comment_answer, name="comment_answer"),
    # The link printed in a published report: short, for people to type.
    path("y/<str:token>/", views.public, name="public"),
]
