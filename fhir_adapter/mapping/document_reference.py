"""DocumentReference holding the monograph's source text, which source spans point into."""
from __future__ import annotations

import base64
import hashlib

from ..monograph.model import Monograph
from .common import Ids, narrative, product_label, ref


def document_reference(m: Monograph, ids: Ids) -> dict:
    data = m.text.encode("utf-8")
    label = product_label(m)
    return {
        "resourceType": "DocumentReference",
        "id": ids("doc"),
        "text": narrative(f"Monograph of {label}", [("Family", m.family), ("Length", f"{len(m.text)} characters")]),
        "status": "current",
        "docStatus": "final",
        "type": {"text": "Drug monograph"},
        "subject": ref("Medication", ids("med"), label),
        "description": f"Source monograph of {label} ({m.family})",
        "content": [{"attachment": {
            "contentType": "text/plain; charset=utf-8",
            "data": base64.b64encode(data).decode("ascii"),
            "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
            "title": f"{label} monograph",
        }}],
    }
