from django.contrib.auth import views as auth_views
from django.urls import path

from zhenggai.accounts.views import LoginView, invitation, password_change

app_name = "accounts"
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password_change, name="password_change"),
    path("invitation/<str:token>/", invitation, name="invitation"),
]
