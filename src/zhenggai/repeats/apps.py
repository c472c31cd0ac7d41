from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RepeatsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "zhenggai.repeats"
    verbose_name = _("Repeated findings")
