"""Sending a digest out of the app: e-mail through Django's mail backend, chat through group robots.

Every channel has `send(*, recipient, content, directory)`: it returns when the message was
accepted, raises `Unreachable` when the recipient can no longer be reached there (not retried),
and raises anything else for a failure that the next run retries. The in-app channel is a
database write and lives in `services`, inside the transaction that marks its digest sent.

Webhooks go through `http_post_json`, the only function here that touches the network; tests
replace it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.request
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from django.core.mail import send_mail
from django.utils import timezone

from zhenggai.reminders import messages
from zhenggai.reminders.conf import setting
from zhenggai.reminders.models import Channel, GroupRobot
from zhenggai.reminders.recipients import Directory, Recipient

RESPONSE_MAX_BYTES = 64 * 1024


class Unreachable(Exception):
    """The recipient has no address on this channel any more."""


class WebhookError(Exception):
    """The robot refused the message (its `errcode` was not 0) or answered nonsense."""


@dataclass(frozen=True)
class Content:
    name: str
    items: list[messages.Item]

    @property
    def title(self) -> str:
        return messages.title(self.items)

    @property
    def text(self) -> str:
        return messages.plain_text(self.name, self.items)


def http_post_json(url: str, body: dict, *, timeout: float) -> dict:
    """POST `body` as UTF-8 JSON and return the decoded JSON answer."""
    # urllib would also open file:// and ftp:// addresses; a robot address is only ever http(s).
    if urlsplit(url).scheme not in {"http", "https"}:
        raise WebhookError(f"not an http(s) address: {url[:40]!r}")
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - checked above
        raw = response.read(RESPONSE_MAX_BYTES)
    return json.loads(raw or b"{}")


def signed_url(robot: GroupRobot) -> str:
    """钉钉's 加签: timestamp (ms) and an HMAC-SHA256 of "timestamp\\nsecret", added to the address."""
    if robot.kind != Channel.DINGTALK or not robot.secret:
        return robot.webhook_url
    timestamp = str(int(timezone.now().timestamp() * 1000))
    digest = hmac.new(robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256)
    sign = quote_plus(base64.b64encode(digest.digest()))
    joiner = "&" if "?" in robot.webhook_url else "?"
    return f"{robot.webhook_url}{joiner}timestamp={timestamp}&sign={sign}"


class EmailChannel:
    def send(self, *, recipient: Recipient, content: Content, directory: Directory) -> None:
        address = directory.email(recipient)
        if not address:
            raise Unreachable("no e-mail address")
        send_mail(content.title, content.text, None, [address], fail_silently=False)


class RobotChannel:
    def __init__(self, kind: str) -> None:
        self.kind = kind

    def body(self, content: Content) -> dict:
        if self.kind == Channel.WECOM:
            return messages.wecom_body(content.name, content.items)
        return messages.dingtalk_body(content.name, content.items)

    def send(self, *, recipient: Recipient, content: Content, directory: Directory) -> None:
        robot = directory.robot(recipient, self.kind)
        if robot is None:
            raise Unreachable(f"no active {self.kind} robot")
        answer = http_post_json(
            signed_url(robot), self.body(content), timeout=float(setting("WEBHOOK_TIMEOUT"))
        )
        # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"} on success.
        if not isinstance(answer, dict) or answer.get("errcode") != 0:
            raise WebhookError(f"robot answered {str(answer)[:200]}")


OUTBOUND: dict[str, EmailChannel | RobotChannel] = {
    Channel.EMAIL: EmailChannel(),
    Channel.WECOM: RobotChannel(Channel.WECOM),
    Channel.DINGTALK: RobotChannel(Channel.DINGTALK),
}
