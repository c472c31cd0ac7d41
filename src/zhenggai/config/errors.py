"""The server-error page. It is rendered without the request's context processors, the session or
the database: whatever failed may be one of them."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponseServerError
from django.template.loader import render_to_string
from django.templatetags.static import static

logger = logging.getLogger(__name__)

# What is sent when even the template cannot be rendered (a broken static manifest, a lost file).
FALLBACK = (
    '<!doctype html><html lang="zh-hans"><meta charset="utf-8"><title>服务器出错</title>'
    "<h1>服务器出错</h1><p>系统出了问题，您的操作可能没有完成。请稍后再试；如果一再出现，请告诉系统管理员。</p></html>"
)


def server_error(request: HttpRequest) -> HttpResponseServerError:
    try:
        html: str = render_to_string("500.html", {"css": static("zhenggai/app.css")})
    except Exception:  # the page of last resort must answer whatever else is broken
        logger.exception("the 500 page could not be rendered")
        html = FALLBACK
    return HttpResponseServerError(html)
