"""The API's tests: the cast of tests/conftest.py, each with a token of their own."""

from __future__ import annotations

import pytest
from _api_support import ApiClient, secret_of

from zhenggai.api.models import TokenScope


@pytest.fixture
def api_as():
    """``api_as(user)``: a client calling the API with a new write token of that user."""

    def make(user, scope: str = TokenScope.WRITE) -> ApiClient:
        return ApiClient(secret_of(user, scope))

    return make
