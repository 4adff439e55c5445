"""The Flask app factory: FHIR R5 under /fhir over the embedded store."""
from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from ..store import Store, StoreError
from ..validation.profiles import Profiles
from .cors import CORS, PREFLIGHT
from .formats import render, response_format
from .load import load, load_profiles
from .outcome import FhirError, error_outcome
from .rest import PREFIX, bp

DEFAULTS = {
    "DB": ":memory:",
    "LOAD": [],
    "BASE_URL": None,  # set behind a proxy; otherwise links use the URL the client called
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
}
log = logging.getLogger(__name__)


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    try:
        app.config["VERSION"] = version("fhir-adapter")
    except PackageNotFoundError:
        app.config["VERSION"] = "0"
    store = app.config.get("STORE") or Store(app.config["DB"])
    app.config["STORE"] = store
    load_profiles(store)
    app.config["PROFILES"] = Profiles()
    app.config["PROFILE_URLS"] = {u: t for u, (t, _schema) in app.config["PROFILES"].schemas.items()}
    if app.config["LOAD"]:
        load(store, app.config["LOAD"])
    app.register_blueprint(bp, url_prefix=PREFIX)
    app.url_map.strict_slashes = False

    def fail(e: FhirError):
        try:
            fmt = response_format(request.args.get("_format"), request.headers.get("Accept"))
        except FhirError:
            fmt = "application/fhir+json"
        resp = app.response_class(render(error_outcome(e), fmt), status=e.status)
        resp.headers["Content-Type"] = f"{fmt}; charset=utf-8"
        resp.headers.update(e.headers)
        return resp

    @app.errorhandler(FhirError)
    def _fhir(e: FhirError):
        return fail(e)

    @app.errorhandler(StoreError)
    def _store(e: StoreError):
        return fail(FhirError(e.status, e.message, e.code, e.expression))

    @app.errorhandler(HTTPException)
    def _http(e: HTTPException):
        code = {404: "not-found", 405: "not-supported", 413: "too-costly"}.get(e.code or 500, "processing")
        msg = {404: f"no FHIR endpoint at {request.path}", 405: f"{request.method} is not allowed on {request.path}",
               413: "the request body is larger than this server accepts"}.get(e.code or 500, e.description or "")
        # a 405 names the methods the URL does take (RFC 9110 15.5.6)
        allow = getattr(e, "valid_methods", None)
        headers = {"Allow": ", ".join(sorted(allow))} if e.code == 405 and allow else {}
        return fail(FhirError(e.code or 500, msg, code, headers=headers))

    @app.errorhandler(Exception)
    def _any(e: Exception):
        log.exception("unhandled error")
        return fail(FhirError(500, f"internal error: {type(e).__name__}", "exception"))

    @app.after_request
    def _cors(resp):
        if "Access-Control-Allow-Origin" not in resp.headers:  # FHIR responses carry them already
            resp.headers.update(CORS)
        if request.method == "OPTIONS":
            resp.headers.update(PREFLIGHT)
        return resp

    return app
