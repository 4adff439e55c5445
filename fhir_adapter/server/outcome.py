"""OperationOutcome: every error the server answers with, and search warnings."""
from __future__ import annotations

from ..mapping.common import narrative


class FhirError(Exception):
    """An error with its HTTP status and OperationOutcome issue code."""

    def __init__(self, status: int, message: str, code: str = "processing", expression: str | None = None,
                 headers: dict | None = None, outcome_body: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.code, self.expression = status, message, code, expression
        self.headers = headers or {}
        self.outcome_body = outcome_body  # a full OperationOutcome (every validation issue) to answer with


def outcome(issues: list[tuple[str, str, str, str | None]]) -> dict:
    """issues: (severity, code, diagnostics, expression)."""
    out = []
    for severity, code, diagnostics, expression in issues:
        issue = {"severity": severity, "code": code, "diagnostics": diagnostics}
        if expression:
            issue["expression"] = [expression]
        out.append(issue)
    if not out:
        out = [{"severity": "information", "code": "informational", "diagnostics": "All OK"}]
    text = "; ".join(f"{i['severity']}: {i['diagnostics']}" for i in out)
    return {"resourceType": "OperationOutcome", "text": narrative("Outcome", [("Issues", text)]), "issue": out}


def error_outcome(e: FhirError) -> dict:
    if e.outcome_body is not None:
        return e.outcome_body
    return outcome([("error" if e.status < 500 else "fatal", e.code, e.message, e.expression)])
