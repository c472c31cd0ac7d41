from django.contrib.auth import views as auth_views
from django.urls import path

from zhenggai.accounts import two_factor_views
from zhenggai.accounts.oidc_views import OidcCallbackView, OidcStartView
from zhenggai.accounts.views import LoginView, invitation, password_change

app_name = "accounts"
urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", password_change, name="password_change"),
    path("invitation/<str:token>/", invitation, name="invitation"),
    path("directory/", OidcStartView.as_view(), name="oidc_start"),
    path("directory/callback/", OidcCallbackView.as_view(), name="oidc_callback"),
    path("two-factor/", two_factor_views.enrol, name="two_factor"),
    path("two-factor/verify/", two_factor_views.verify, name="two_factor_verify"),
    path("two-factor/remove/", two_factor_views.remove, name="two_factor_remove"),
]
