"""OperationOutcome from issues (severity, code, diagnostics, expression)."""
from __future__ import annotations

from ..mapping.common import narrative


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
