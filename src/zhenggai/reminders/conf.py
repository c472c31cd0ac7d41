"""The reminders' settings, read from `settings.ZHENGGAI` with defaults (see docs/reminders.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Days before the deadline of the first notice (green) when an office has no policy of its own.
    "REMINDER_GREEN_DAYS": 20,
    # The second step (yellow) follows the ledger's yellow light, so a notice and the light agree.
    "YELLOW_LIGHT_DAYS": 10,
    # An overdue measure is reminded of again every this many days while it stays overdue; 0: once.
    "REMINDER_RED_REPEAT_DAYS": 7,
    # Local hour after which the scheduler enqueues the day's run.
    "REMINDER_HOUR": 8,
    # Channels that may be used; drop one to switch it off for the whole installation.
    "REMINDER_CHANNELS": ["inapp", "email", "wecom", "dingtalk"],
    # Prefix of the links in e-mails and chat messages, e.g. https://zhenggai.example.gov.cn
    "SITE_URL": "",
    # Seconds a webhook POST may take.
    "WEBHOOK_TIMEOUT": 5,
}


def setting(name: str) -> Any:
    return getattr(settings, "ZHENGGAI", {}).get(name, DEFAULTS[name])
