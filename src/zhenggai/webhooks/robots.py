"""An organisation's chat group robots (企业微信/钉钉群机器人), set in the app beside its webhooks.

The reminders app sends its digests through them (reminders.channels.RobotChannel); here they
are only kept. One robot of each kind per organisation (the model's constraint).
"""

from __future__ import annotations

from django.db import transaction

from zhenggai.history import services as history
from zhenggai.orgs.models import Organisation
from zhenggai.reminders.models import GroupRobot
from zhenggai.webhooks.services import check_url, url_shown


@transaction.atomic
def robot_save(
    *, organisation: Organisation, actor, kind: str, webhook_url: str, secret: str, active: bool
) -> GroupRobot:
    """Set the organisation's robot of `kind`; an empty `secret` keeps the one saved before."""
    robot = GroupRobot.objects.select_for_update().filter(organisation=organisation, kind=kind).first()
    created = robot is None
    robot = robot or GroupRobot(organisation=organisation, kind=kind)
    robot.webhook_url = check_url(webhook_url)
    if secret.strip():
        robot.secret = secret.strip()
    robot.active = active
    robot.save()
    history.record(
        actor=actor,
        action="reminders.robot.save",
        obj=robot,
        payload={
            "organisation": organisation.pk,
            "kind": kind,
            "url": url_shown(robot.webhook_url),
            "active": active,
            "created": created,
            "secret_changed": bool(secret.strip()),
        },
    )
    return robot


@transaction.atomic
def robot_delete(*, robot: GroupRobot, actor) -> None:
    history.record(
        actor=actor,
        action="reminders.robot.delete",
        object_type="reminders.grouprobot",
        object_id=robot.pk,
        payload={"organisation": robot.organisation_id, "kind": robot.kind},
    )
    robot.delete()
