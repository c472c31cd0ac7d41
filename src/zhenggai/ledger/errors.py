from __future__ import annotations


class LedgerError(Exception):
    """A refusal with a message for the user (translated, Chinese by default)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleEdit(LedgerError):
    """The form was based on an older version of the record than the one stored now."""

    def __init__(self, message: str, changes: list[tuple[str, str, str]]):
        super().__init__(message)
        self.changes = changes  # (field label, value in the form's version, value now)
