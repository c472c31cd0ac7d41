from django.urls import path

from zhenggai.taxonomy import views

app_name = "taxonomy"
urlpatterns = [
    path("", views.index, name="index"),
    path("categories/add/", views.category_add, name="category_add"),
    path("categories/<int:pk>/", views.category_edit, name="category_edit"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/add/", views.rule_add, name="rule_add"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("problems/<int:pk>/category/", views.problem_category, name="problem_category"),
]
