from django.urls import path

from zhenggai.imports import update_views, views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:pk>/", views.draft, name="draft"),
    path("<int:pk>/item/", views.draft_item, name="draft_item"),
    path("<int:pk>/edit/", views.draft_edit, name="draft_edit"),
    path("<int:pk>/round/", views.draft_round_info, name="draft_round_info"),
    path("<int:pk>/commit/", views.draft_commit, name="draft_commit"),
    path("<int:pk>/discard/", views.draft_discard, name="draft_discard"),
    path("<int:pk>/update/", update_views.draft_update, name="draft_update"),
]
