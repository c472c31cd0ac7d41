"""Shared by the reminders tests: the frozen clock, the dates, and the stand-in for the robots."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field

import time_machine

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DEADLINE = datetime.date(2025, 6, 30)
WECOM_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=unit-a"
DINGTALK_URL = "https://oapi.dingtalk.com/robot/send?access_token=office"


@dataclass
class Robots:
    """Stands in for the network: records each webhook call and answers like the real robots."""

    calls: list[tuple[str, dict]] = field(default_factory=list)
    failing: set[str] = field(default_factory=set)  # URL prefixes that time out

    def post(self, url: str, body: dict, *, timeout: float) -> dict:
        assert 0 < timeout <= 10
        if any(url.startswith(prefix) for prefix in self.failing):
            raise TimeoutError("timed out")
        self.calls.append((url, body))
        return {"errcode": 0, "errmsg": "ok"}

    def bodies(self, url_prefix: str) -> list[dict]:
        return [body for url, body in self.calls if url.startswith(url_prefix)]

    def clear(self) -> None:
        self.calls.clear()


def on(day: datetime.date, hour: int = 9):
    """Freeze the clock at `hour` o'clock, Beijing time, on `day`."""
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False
    )
