"""The FHIR RESTful interactions (http.html) as a Flask blueprint."""
from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache

from fhir.resources import get_fhir_model_class
from flask import Blueprint, Response, current_app, request

from ..store import Store, Stored
from ..validation import Validator
from . import search as searching
from .capability import READ_ONLY, SERVED, capability_statement
from .cors import CORS
from .formats import RawJson, parse_body, render, response_format
from .outcome import FhirError, outcome
from .transaction import process_bundle

bp = Blueprint("fhir", __name__)
CORS_ITEMS = list(CORS.items())
PREFIX = "/fhir"


# ------------------------------------------------------------------ helpers
def store() -> Store:
    return current_app.config["STORE"]


def base_url() -> str:
    configured = current_app.config.get("BASE_URL")
    if configured:
        return configured.rstrip("/")
    # the URL the client called (scheme, host, port and any mount point), so links never change base
    return request.url_root.rstrip("/") + PREFIX


def fmt() -> str:
    fmt_param = request.args.get("_format") if request.query_string else None
    return response_format(fmt_param, request.headers.get("Accept"))


def pretty() -> bool:
    return bool(request.query_string) and request.args.get("_pretty", "").lower() == "true"


def respond(resource: dict | RawJson | None, status: int = 200, headers: dict | None = None) -> Response:
    f = fmt()
    body = render(resource, f, pretty()) if resource is not None else b""
    # every header in one list: werkzeug builds it once instead of setting headers one by one
    items = [("Content-Type", f"{f}; charset=utf-8")] if resource is not None else []
    items += CORS_ITEMS
    if headers:
        items += headers.items()
    return Response(body, status=status, headers=items)


def version_headers(s: Stored) -> dict:
    return {"ETag": f'W/"{s.version}"', "Last-Modified": _http_date(s.last_updated)}


@lru_cache(maxsize=4096)
def _http_date(instant: str) -> str:
    return format_datetime(datetime.fromisoformat(instant), usegmt=True)


def check_type(rtype: str, write: bool = False) -> None:
    if rtype not in SERVED:
        try:
            get_fhir_model_class(rtype)
            known = True
        except (KeyError, ValueError):
            known = False
        msg = f"this server does not serve {rtype}" if known else f"unknown resource type {rtype!r}"
        raise FhirError(404, msg, "not-supported" if known else "not-found")
    if write and rtype in READ_ONLY:
        raise FhirError(405, f"{rtype} is read-only here: the server publishes it from profiles/", "not-supported")


def parse_if_match(value: str | None) -> int | None:
    if not value:
        return None
    v = value.strip()
    if v.startswith("W/"):
        v = v[2:]
    v = v.strip('"')
    try:
        return int(v)
    except ValueError as exc:
        raise FhirError(400, f"If-Match {value!r} is not a version ETag such as W/\"3\"", "invalid") from exc


def validator(pending: set[str] | None = None) -> Validator:
    s = store()
    known = pending or set()
    return Validator(exists=lambda t, i: f"{t}/{i}" in known or ((c := s.current(t, i)) is not None and not c.deleted),
                     profiles=current_app.config["PROFILES"])


def validate_resource(resource: dict, rtype: str, rid: str | None = None, in_transaction: bool = False,
                      pending: set[str] | None = None) -> None:
    """Every validation layer before a write: 422 with the whole outcome when any error is found."""
    if resource.get("resourceType") != rtype:
        raise FhirError(400, f"the body is a {resource.get('resourceType')}, the URL names {rtype}", "invalid")
    if rid is not None and resource.get("id") != rid:
        raise FhirError(400, f"the body's id {resource.get('id')!r} differs from the URL's {rid!r}", "invalid", "id")
    result = validator(pending).validate(resource, in_transaction=in_transaction)
    if not result.ok:
        first = result.errors[0]
        raise FhirError(422, f"{rtype} is not valid: {first[2]}" + (f" (and {len(result.errors) - 1} more)"
                                                                    if len(result.errors) > 1 else ""),
                        "processing", first[3], outcome_body=result.outcome())


def prefer_return() -> str:
    for part in request.headers.get("Prefer", "").split(";"):
        part = part.strip()
        if part.startswith("return="):
            return part[7:]
    return "representation"


def strict() -> bool:
    return "handling=strict" in request.headers.get("Prefer", "").replace(" ", "")


def written(s: Stored, status: int, location: bool = True) -> Response:
    headers = version_headers(s)
    if location:
        headers["Location"] = f"{base_url()}/{s.type}/{s.id}/_history/{s.version}"
    pref = prefer_return()
    if pref == "minimal":
        return respond(None, status, headers)
    if pref == "OperationOutcome":
        return respond(outcome([("information", "informational", f"{s.type}/{s.id} version {s.version} stored",
                                 None)]), status, headers)
    return respond(s.resource, status, headers)


def search_items() -> list[tuple[str, str]]:
    items = list(request.args.items(multi=True))
    if request.method == "POST":
        if request.mimetype != "application/x-www-form-urlencoded":
            raise FhirError(415, "POST _search takes application/x-www-form-urlencoded", "not-supported")
        items += list(request.form.items(multi=True))
    return items


# ------------------------------------------------------------------ routes
@bp.route("/metadata", methods=["GET"])
def metadata():
    app = current_app
    return respond(capability_statement(store().registry, base_url(), app.config.get("PROFILE_URLS", {}),
                                        app.config.get("VERSION", "0")))


@bp.route("/", methods=["POST"], strict_slashes=False)
def batch_or_transaction():
    body = parse_body(request.get_data(), request.content_type)
    if body.get("resourceType") != "Bundle" or body.get("type") not in ("batch", "transaction"):
        raise FhirError(400, "POST to the base takes a Bundle of type batch or transaction", "invalid")
    result = process_bundle(store(), body, base_url(), validate_resource, check_type)
    return respond(result)


@bp.route("/", methods=["GET"], strict_slashes=False)
def system_root():
    raise FhirError(400, "GET on the base needs a resource type, /metadata or /_history", "not-supported")


@bp.route("/_history", methods=["GET"])
def system_history():
    return history_bundle(None, None)


# One view per method: Flask answers HEAD with the GET view (body dropped) and OPTIONS itself,
# so no method can fall through into another interaction.
@bp.get("/<rtype>")
def search_type(rtype: str):
    check_type(rtype)
    return do_search(rtype)


@bp.post("/<rtype>")
def create(rtype: str):
    check_type(rtype, write=True)
    return do_create(rtype)


@bp.route("/<rtype>/_search", methods=["POST"])
def post_search(rtype: str):
    check_type(rtype)
    return do_search(rtype)


@bp.route("/<rtype>/$validate", methods=["POST"])
def validate_type(rtype: str):
    check_type(rtype)
    return do_validate(rtype, None)


@bp.route("/<rtype>/<rid>/$validate", methods=["POST"])
def validate_instance(rtype: str, rid: str):
    check_type(rtype)
    return do_validate(rtype, rid)


@bp.route("/<rtype>/_history", methods=["GET"])
def type_history(rtype: str):
    check_type(rtype)
    return history_bundle(rtype, None)


@bp.get("/<rtype>/<rid>")
def read(rtype: str, rid: str):
    check_type(rtype)
    return do_read(rtype, rid)


@bp.put("/<rtype>/<rid>")
def update(rtype: str, rid: str):
    check_type(rtype, write=True)
    return do_update(rtype, rid)


@bp.delete("/<rtype>/<rid>")
def delete(rtype: str, rid: str):
    check_type(rtype, write=True)
    return do_delete(rtype, rid)


@bp.route("/<rtype>/<rid>/_history", methods=["GET"])
def instance_history(rtype: str, rid: str):
    check_type(rtype)
    store().read(rtype, rid) if store().current(rtype, rid) is None else None
    return history_bundle(rtype, rid)


@bp.route("/<rtype>/<rid>/_history/<vid>", methods=["GET"])
def vread(rtype: str, rid: str, vid: str):
    check_type(rtype)
    try:
        version = int(vid)
    except ValueError as exc:
        raise FhirError(404, f"version {vid!r} is not a version of {rtype}/{rid}", "not-found") from exc
    s = store().vread(rtype, rid, version)
    return respond(s.resource, 200, version_headers(s))


# ------------------------------------------------------------------ interactions
def do_read(rtype: str, rid: str) -> Response:
    s = store().read(rtype, rid)
    headers = version_headers(s)
    inm = request.headers.get("If-None-Match")
    if inm and parse_if_match(inm) == s.version:
        return respond(None, 304, headers)
    ims = request.headers.get("If-Modified-Since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
            lu = datetime.fromisoformat(s.last_updated)
            if lu.replace(microsecond=0) <= since:
                return respond(None, 304, headers)
        except (TypeError, ValueError):
            pass
    shaping = [(k, request.args[k]) for k in ("_summary", "_elements") if request.args.get(k)] \
        if request.query_string else []
    if not shaping:
        return respond(RawJson(s.body), 200, headers)  # the stored bytes as they are
    req = searching.parse(rtype, shaping, store(), False)
    return respond(searching.shape(s.resource, req), 200, headers)


def do_search(rtype: str) -> Response:
    req = searching.parse(rtype, search_items(), store(), strict())
    return respond(searching.run(store(), req, base_url(), rtype))


def do_create(rtype: str) -> Response:
    resource = parse_body(request.get_data(), request.content_type)
    resource = {k: v for k, v in resource.items() if k != "id"}  # the server assigns the id
    validate_resource(resource, rtype)
    cond = request.headers.get("If-None-Exist")
    if cond:
        from urllib.parse import parse_qsl

        req = searching.parse(rtype, parse_qsl(cond.lstrip("?"), keep_blank_values=True), store(), True)
        found, total = store().search(rtype, req.clauses, limit=2)
        if total == 1:
            return written(found[0], 200, location=False)
        if total and total > 1:
            raise FhirError(412, f"If-None-Exist {cond!r} matches {total} resources", "duplicate")
    s = store().create(resource)
    return written(s, 201)


def do_update(rtype: str, rid: str) -> Response:
    resource = parse_body(request.get_data(), request.content_type)
    validate_resource(resource, rtype, rid)
    s, created = store().update(resource, rid, parse_if_match(request.headers.get("If-Match")))
    return written(s, 201 if created else 200)


def do_delete(rtype: str, rid: str) -> Response:
    s = store().delete(rtype, rid, parse_if_match(request.headers.get("If-Match")))
    msg = f"{rtype}/{rid} deleted" if s else f"{rtype}/{rid} did not exist or was deleted already"
    headers = {"ETag": f'W/"{s.version}"'} if s else {}
    return respond(outcome([("information", "informational", msg, None)]), 200, headers)


def do_validate(rtype: str, rid: str | None) -> Response:
    """$validate: 200 with an OperationOutcome listing every issue (all clear when there is none)."""
    body = parse_body(request.get_data(), request.content_type)
    mode, profile, resource = None, None, body
    if body.get("resourceType") == "Parameters":
        resource = None
        for p in body.get("parameter", []):
            if p.get("name") == "resource":
                resource = p.get("resource")
            elif p.get("name") == "mode":
                mode = p.get("valueCode") or p.get("valueString")
            elif p.get("name") == "profile":
                profile = p.get("valueUri") or p.get("valueCanonical") or p.get("valueString")
        if mode not in (None, "create", "update", "delete", "profile"):
            raise FhirError(400, f"$validate mode {mode!r}: use create, update or delete", "invalid", "mode")
    issues = []
    if mode == "delete":
        if rid is None:
            raise FhirError(400, "$validate mode=delete needs an instance: [type]/[id]/$validate", "invalid")
        s = store().current(rtype, rid)
        if s is None or s.deleted:
            issues.append(("error", "not-found", f"{rtype}/{rid} does not exist", None))
        return respond(outcome(issues))
    if not isinstance(resource, dict):
        raise FhirError(400, "$validate needs a resource: the body, or a Parameters 'resource' part", "invalid")
    if resource.get("resourceType") != rtype:
        issues.append(("error", "invalid", f"the resource is a {resource.get('resourceType')}, the URL names {rtype}",
                       "resourceType"))
    if mode == "update" and rid is not None and resource.get("id") != rid:
        issues.append(("error", "invalid", f"mode=update: the resource's id must be {rid!r}", f"{rtype}.id"))
    if profile and profile not in current_app.config["PROFILES"].urls():
        issues.append(("error", "not-supported", f"unknown profile {profile!r}", None))
        profile = None
    result = validator().validate(resource, profile=profile)
    return respond(outcome(issues + [(sev, code, msg, expr or None) for sev, code, msg, expr in result.issues]))


def history_bundle(rtype: str | None, rid: str | None) -> Response:
    count = searching._int("_count", request.args.get("_count", "50"), 1, searching.MAX_COUNT)
    offset = searching._int("_offset", request.args.get("_offset", "0"), 0, 10**9)
    since = request.args.get("_since")
    since_key = None
    if since:
        from ..store.indexer import date_range

        rng = date_range(since)
        if rng is None:
            raise FhirError(400, f"_since {since!r} is not an instant", "invalid", "_since")
        since_key = rng[0][:23] + "Z"
    items, total = store().history(rtype, rid, since_key, count, offset)
    base = base_url()
    entries = []
    for s in items:
        e: dict = {"fullUrl": f"{base}/{s.type}/{s.id}",
                   "request": {"method": s.method, "url": f"{s.type}/{s.id}" if s.method != "POST" else s.type},
                   "response": {"status": "201 Created" if s.version == 1 else "410 Gone" if s.deleted else "200 OK",
                                "etag": f'W/"{s.version}"', "lastModified": s.last_updated}}
        if not s.deleted:
            e["resource"] = s.resource
        entries.append(e)
    path = "/".join(x for x in (rtype, rid, "_history") if x)
    links = [{"relation": "self", "url": f"{base}/{path}?_count={count}&_offset={offset}"}]
    if offset + len(items) < total:
        links.append({"relation": "next", "url": f"{base}/{path}?_count={count}&_offset={offset + count}"})
    if offset:
        links.append({"relation": "previous", "url": f"{base}/{path}?_count={count}&_offset={max(0, offset - count)}"})
    bundle = {"resourceType": "Bundle", "type": "history", "total": total, "link": links}
    if entries:
        bundle["entry"] = entries
    return respond(bundle)


