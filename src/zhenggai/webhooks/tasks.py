"""Webhook deliveries as background tasks (django-tasks; `manage.py db_worker` runs them)."""

from __future__ import annotations

from django_tasks import task

from zhenggai.webhooks.delivery import delivery_attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    """Try one delivery if it is due (safe to run twice: the second finds it claimed or done)."""
    return delivery_attempt(delivery_id=delivery_id)
