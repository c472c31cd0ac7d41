from django.urls import path

from zhenggai.reports import public_views, version_views, views

app_name = "reports"
urlpatterns = [
    path("rounds/<int:pk>/reports/", views.round_reports, name="round_reports"),
    path("weekly/", views.weekly_summary, name="weekly_summary"),
    path("rounds/<int:pk>/issued-reports/", version_views.round_versions, name="round_versions"),
    path("rounds/<int:pk>/issued-reports/new/", version_views.draft_create, name="draft_create"),
    path("issued-reports/<int:pk>/", version_views.version, name="version"),
    path("issued-reports/<int:pk>/sign-off/", version_views.sign_off, name="sign_off"),
    path("issued-reports/<int:pk>/issue/", version_views.issue, name="issue"),
    path("issued-reports/<int:pk>/withdraw/", version_views.withdraw, name="withdraw"),
    path("issued-reports/<int:pk>/download/", version_views.download, name="download"),
    # Public, no log-in: issued public reports, each version by its random token.
    path("r/", public_views.public_list, name="public_list"),
    path("r/<str:token>/", public_views.public_report, name="public_report"),
    path("r/<str:token>/<str:fmt>/", public_views.public_download, name="public_download"),
    path("exports/", views.export_start, name="export_start"),
    path("exports/<int:pk>/", views.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
