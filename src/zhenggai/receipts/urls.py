from django.urls import path

from zhenggai.receipts import views

app_name = "receipts"
urlpatterns = [
    path("measures/<int:pk>/receipts/", views.measure_receipts, name="measure_receipts"),
    path("receipts/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("receipts/<int:pk>/slips/", views.batch_slips, name="batch_slips"),
    # The link printed on a slip: short, for residents to type when they cannot scan.
    path("h/<str:token>/", views.confirm, name="confirm"),
]
