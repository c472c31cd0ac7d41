"""The API's errors: JSON with a Chinese `detail` for people and a `code` for programs."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class ApiError(Exception):
    """A refusal the API answers with `status` and a body `{"detail", "code"}`."""

    def __init__(self, status: int, code: str, detail: str, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.extra = extra

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, **self.extra}


class ErrorOut(Schema):
    detail: str
    code: str


class FieldErrorOut(Schema):
    loc: list[str | int]
    msg: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut] = Field(default_factory=list, description="Which fields, and why")


class ChangeOut(Schema):
    field: str
    yours: str
    now: str


class StaleOut(ErrorOut):
    """A 409: the measure changed since the version sent; `changes` since then, as the page shows."""

    version: int
    changes: list[ChangeOut]


# The error answers every operation may give, for its OpenAPI description.
COMMON_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
WRITE_ERRORS: dict[int, Any] = {**COMMON_ERRORS, 409: StaleOut}
