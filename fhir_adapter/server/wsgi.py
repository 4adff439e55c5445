"""WSGI entry point for gunicorn: configuration from the environment.

    FHIR_ADAPTER_DB=fhir.sqlite FHIR_ADAPTER_LOAD=monographs/ \\
        gunicorn -w 4 -b 127.0.0.1:8080 'fhir_adapter.server.wsgi:app'

FHIR_ADAPTER_LOAD takes paths separated by the OS path separator; FHIR_ADAPTER_BASE_URL sets
the public base URL behind a proxy. Every worker opens the same database file (WAL mode);
loading is idempotent, so workers that load at start-up change nothing for each other.
"""
from __future__ import annotations

import os

from .app import create_app

app = create_app({
    "DB": os.environ.get("FHIR_ADAPTER_DB", "fhir-adapter.sqlite"),
    "LOAD": [p for p in os.environ.get("FHIR_ADAPTER_LOAD", "").split(os.pathsep) if p],
    "BASE_URL": os.environ.get("FHIR_ADAPTER_BASE_URL") or None,
})
