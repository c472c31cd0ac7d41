from django.urls import path

from zhenggai.ledger import bulk_views, hint_views, views

app_name = "ledger"
urlpatterns = [
    path("rounds/", views.round_list, name="round_list"),
    path("ledger/", views.all_ledgers, name="all_ledgers"),
    path("overview/", views.overview, name="overview"),
    path("rounds/<int:pk>/", views.round_ledger, name="round_ledger"),
    path("rounds/<int:pk>/bulk/", bulk_views.bulk_form, name="bulk_form"),
    path("rounds/<int:pk>/bulk/preview/", bulk_views.bulk_preview, name="bulk_preview"),
    path("rounds/<int:pk>/bulk/apply/", bulk_views.bulk_apply, name="bulk_apply"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/copies/", hint_views.problem_copies, name="problem_copies"),
    path("problems/<int:pk>/measures/new/", views.measure_add, name="measure_add"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/card/", views.measure_card, name="measure_card"),
    path("measures/<int:pk>/progress/", views.progress_add, name="progress_add"),
    path("measures/<int:pk>/transition/", views.transition, name="transition"),
    path("measures/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("measures/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("measures/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
]
