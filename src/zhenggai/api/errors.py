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


def field_error(code: str, detail: str, loc: list[str | int], msg: str) -> ApiError:
    """A 422 that names the field (`loc`, as a validation error names it) and why."""
    return ApiError(422, code, detail, errors=[{"loc": loc, "msg": msg}])


def record_of(queryset, pk: int, *, loc: list[str | int], code: str, detail: str, msg: str):
    """The record `pk` among `queryset` (the ones the caller may name there), else a 422 for the
    field at `loc`."""
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise field_error(code, detail, loc, msg)
    return found


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
