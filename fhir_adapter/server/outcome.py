"""Errors the server answers with, as OperationOutcomes (built by validation.outcome)."""
from __future__ import annotations

from ..validation.outcome import outcome


class FhirError(Exception):
    """An error with its HTTP status and OperationOutcome issue code."""

    def __init__(self, status: int, message: str, code: str = "processing", expression: str | None = None,
                 headers: dict | None = None, outcome_body: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.expression = status, message, code, expression
        self.headers = headers or {}
        self.outcome_body = outcome_body  # a full OperationOutcome (every validation issue) to answer with


def error_outcome(e: FhirError) -> dict:
    if e.outcome_body is not None:
        return e.outcome_body
    return outcome([("error" if e.status < 500 else "fatal", e.code, e.message, e.expression)])
