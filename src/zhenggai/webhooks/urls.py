from django.urls import path

from zhenggai.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("org/<int:org_pk>/new/", views.endpoint_create, name="endpoint_create"),
    path("org/<int:org_pk>/robots/", views.robot_save, name="robot_save"),
    path("<int:pk>/", views.endpoint_detail, name="endpoint_detail"),
    path("<int:pk>/test/", views.endpoint_test, name="endpoint_test"),
    path("<int:pk>/active/", views.endpoint_active, name="endpoint_active"),
    path("<int:pk>/delete/", views.endpoint_delete, name="endpoint_delete"),
    path("deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="delivery_redeliver"),
    path("robots/<int:pk>/delete/", views.robot_delete, name="robot_delete"),
]
