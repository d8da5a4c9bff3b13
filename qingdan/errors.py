"""Domain errors: each carries a message a person can act on, in Chinese."""

from __future__ import annotations


class QingdanError(Exception):
    """A refusal the user should see as a message, never as a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QingdanError):
    pass
