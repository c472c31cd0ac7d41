from django.urls import path

from zhenggai.reports import views

app_name = "reports"
urlpatterns = [
    path("rounds/<int:pk>/reports/", views.round_reports, name="round_reports"),
    path("weekly/", views.weekly_summary, name="weekly_summary"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
