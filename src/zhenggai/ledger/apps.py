from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "zhenggai.ledger"
    verbose_name = _("Rectification ledger")

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from zhenggai.ledger.models import InspectionRound

        # A round deleted (a test, a shell: no service deletes one) takes its share of the office
        # rollup with it, as its round rows go by cascade.
        pre_delete.connect(_round_deleted, sender=InspectionRound, dispatch_uid="ledger_rollup_round_deleted")


def _round_deleted(sender, instance, **kwargs) -> None:
    from zhenggai.ledger import rollup

    rollup.round_removed(instance)
