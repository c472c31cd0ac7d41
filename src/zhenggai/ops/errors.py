"""The one error of the operations commands: a refusal or failure, said in Chinese."""

from __future__ import annotations


class OpsError(Exception):
    """A back-up or restore that could not be done; `message` is shown to the operator as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
