from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhenggai.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from zhenggai.accounts import csrf

        csrf.install()
