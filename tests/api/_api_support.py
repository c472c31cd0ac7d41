"""What the API's tests share: a client that sends a token, and a token for a user."""

from __future__ import annotations

from django.test import Client

from zhenggai.api.models import TokenScope
from zhenggai.api.tokens import token_create


class ApiClient(Client):
    """A test client that sends a personal access token with every request."""

    def __init__(self, secret: str, **kwargs):
        super().__init__(HTTP_AUTHORIZATION=f"Bearer {secret}", **kwargs)

    def post_json(self, path: str, data, **extra):
        return self.post(path, data, content_type="application/json", **extra)

    def patch_json(self, path: str, data, **extra):
        return self.patch(path, data, content_type="application/json", **extra)


def secret_of(user, scope: str = TokenScope.WRITE, days: int = 30) -> str:
    return token_create(owner=user, name="测试脚本", scope=scope, days=days).secret
