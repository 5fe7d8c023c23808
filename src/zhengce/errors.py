"""Errors that reach a person: each names the file and says what was expected."""
from __future__ import annotations


class ZhengceError(Exception):
    """Base of the errors the CLI and web turn into a one-line message."""


class ReadError(ZhengceError):
    """A document could not be read: the message names the file and the problem."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
