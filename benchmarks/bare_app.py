"""The baseline for benchmarks/serve.py: a bare Flask app returning the same stored bytes.

It does no FHIR work at all (no negotiation, no headers, no OperationOutcome): the gap
between it and the real server is what the FHIR layer costs.
"""
from __future__ import annotations

import os
import sqlite3
import threading

from flask import Flask, Response

app = Flask(__name__)
_local = threading.local()


def conn() -> sqlite3.Connection:
    c = getattr(_local, "c", None)
    if c is None:
        c = sqlite3.connect(os.environ["FHIR_ADAPTER_DB"], check_same_thread=False)
        _local.c = c
    return c


@app.get("/fhir/<rtype>/<rid>")
def read(rtype: str, rid: str):
    row = conn().execute("SELECT body FROM resource WHERE type=? AND id=? AND deleted=0", (rtype, rid)).fetchone()
    if row is None:
        return Response(b"", status=404)
    return Response(row[0].encode(), mimetype="application/fhir+json")
