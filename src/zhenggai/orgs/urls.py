from django.urls import path

from zhenggai.orgs import views

app_name = "orgs"
urlpatterns = [
    path("", views.index, name="index"),
    path("units/pick/<slug:scope>/", views.unit_picker, name="unit_picker"),
    path("org/<int:pk>/", views.organisation, name="organisation"),
    path("org/<int:pk>/children/", views.child_create, name="child_create"),
    path("org/<int:pk>/units/", views.unit_create, name="unit_create"),
    path("org/<int:pk>/rename/", views.organisation_rename, name="organisation_rename"),
    path("org/<int:pk>/move/", views.organisation_move, name="organisation_move"),
    path(
        "org/<int:pk>/ledger-columns/", views.organisation_ledger_columns, name="organisation_ledger_columns"
    ),
    path("org/<int:pk>/active/", views.organisation_set_active, name="organisation_set_active"),
    path("org/<int:pk>/people/", views.person_create, name="person_create"),
    path("org/<int:pk>/roles/", views.role_grant, name="role_grant"),
    path("person/<int:pk>/account/", views.person_account, name="person_account"),
    path("person/<int:pk>/login/", views.person_login_reset, name="person_login_reset"),
    path("person/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("person/<int:pk>/active/", views.person_set_active, name="person_set_active"),
    path("role/<int:pk>/revoke/", views.role_revoke, name="role_revoke"),
]
