"""Batch and transaction Bundles at the base: a transaction is all or nothing."""
from __future__ import annotations

import uuid
from urllib.parse import parse_qsl, urlsplit

from ..store import Store, StoreError
from . import search as searching
from .outcome import FhirError, error_outcome

ORDER = {"DELETE": 0, "POST": 1, "PUT": 2, "PATCH": 2, "GET": 3, "HEAD": 3}


def _rewrite(node, mapping: dict[str, str]):
    """Replace urn:uuid: references by the ids the transaction gave them."""
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            if k == "reference" and isinstance(v, str) and v in mapping:
                out[k] = mapping[v]
            else:
                out[k] = _rewrite(v, mapping)
        return out
    if isinstance(node, list):
        return [_rewrite(v, mapping) for v in node]
    return node


def _split(url: str) -> tuple[list[str], list[tuple[str, str]]]:
    parts = urlsplit(url)
    path = parts.path.strip("/")
    if "/fhir/" in f"/{path}/":
        path = path.split("fhir/", 1)[-1] if "fhir/" in path else ""
    return [p for p in path.split("/") if p], parse_qsl(parts.query, keep_blank_values=True)


def process_bundle(store: Store, bundle: dict, base: str, validate, check_type) -> dict:
    kind = bundle["type"]
    entries = bundle.get("entry") or []
    for i, e in enumerate(entries):
        if not isinstance(e, dict) or not isinstance(e.get("request"), dict) or not e["request"].get("method"):
            raise FhirError(400, f"entry {i} has no request.method", "invalid", f"Bundle.entry[{i}].request")
    if kind == "batch":
        return {"resourceType": "Bundle", "type": "batch-response",
                "entry": [_batch_entry(store, e, base, validate, check_type) for e in entries]}
    # transaction: ids first, so references between the entries can be rewritten
    mapping: dict[str, str] = {}
    for e in entries:
        req, res, full = e["request"], e.get("resource"), e.get("fullUrl", "")
        if req["method"] == "POST" and isinstance(res, dict) and full.startswith("urn:uuid:"):
            mapping[full] = f"{res.get('resourceType')}/{uuid.uuid4().hex}"
    order = sorted(range(len(entries)), key=lambda i: ORDER.get(entries[i]["request"]["method"].upper(), 9))
    # what the transaction itself creates counts as existing for its references
    pending = set(mapping.values()) | {_split(e["request"].get("url", ""))[0][0] + "/" + _split(
        e["request"].get("url", ""))[0][1] for e in entries if e["request"]["method"].upper() == "PUT"
        and len(_split(e["request"].get("url", ""))[0]) >= 2}
    results: dict[int, dict] = {}
    try:
        with store.transaction():
            for i in order:
                e = entries[i]
                if isinstance(e.get("resource"), dict):
                    e = dict(e, resource=_rewrite(e["resource"], mapping))
                try:
                    results[i] = _do(store, e, base, validate, check_type, mapping.get(e.get("fullUrl", "")),
                                     pending)
                except (FhirError, StoreError) as exc:
                    raise FhirError(getattr(exc, "status", 400), f"transaction failed at entry {i}: {exc.message}",
                                    getattr(exc, "code", "processing"), f"Bundle.entry[{i}]") from exc
    except FhirError:
        raise
    return {"resourceType": "Bundle", "type": "transaction-response", "entry": [results[i] for i in range(len(entries))]}


def _batch_entry(store: Store, e: dict, base: str, validate, check_type) -> dict:
    try:
        with store.transaction():
            return _do(store, e, base, validate, check_type, None, None)
    except (FhirError, StoreError) as exc:
        err = exc if isinstance(exc, FhirError) else FhirError(exc.status, exc.message, exc.code)
        return {"response": {"status": str(err.status), "outcome": error_outcome(err)}}


def _do(store: Store, e: dict, base: str, validate, check_type, assigned: str | None,
        pending: set[str] | None) -> dict:
    in_tx = pending is not None
    req = e["request"]
    method = req["method"].upper()
    path, query = _split(req.get("url", ""))
    res = e.get("resource")
    if method in ("POST", "PUT") and not isinstance(res, dict):
        raise FhirError(400, f"{method} {req.get('url')} has no resource", "invalid")
    if method == "POST":
        rtype = path[0] if path else res.get("resourceType")
        check_type(rtype, write=True)
        body = {k: v for k, v in res.items() if k != "id"}
        validate(body, rtype, None, in_tx, pending or set())
        if req.get("ifNoneExist"):
            sreq = searching.parse(rtype, parse_qsl(req["ifNoneExist"], keep_blank_values=True), store, True)
            found, total = store.search(rtype, sreq.clauses, limit=2)
            if total == 1:
                return _response(found[0], "200 OK", base)
            if total and total > 1:
                raise FhirError(412, f"ifNoneExist matches {total} resources", "duplicate")
        rid = assigned.split("/", 1)[1] if assigned else None
        s = store.create(body, rid)
        return _response(s, "201 Created", base)
    if method == "PUT":
        if len(path) < 2:
            raise FhirError(400, f"PUT {req.get('url')!r} needs Type/id", "invalid")
        check_type(path[0], write=True)
        validate(res, path[0], path[1], in_tx, pending or set())
        if_match = req.get("ifMatch")
        version = int(if_match.strip("W/").strip('"')) if if_match else None
        s, created = store.update(res, path[1], version)
        return _response(s, "201 Created" if created else "200 OK", base)
    if method == "DELETE":
        if len(path) < 2:
            raise FhirError(400, f"DELETE {req.get('url')!r} needs Type/id", "invalid")
        check_type(path[0], write=True)
        store.delete(path[0], path[1])
        return {"response": {"status": "204 No Content"}}
    if method == "GET":
        if not path:
            raise FhirError(400, "GET needs a resource type", "invalid")
        check_type(path[0])
        if len(path) >= 2:
            s = store.read(path[0], path[1])
            return dict(_response(s, "200 OK", base), resource=s.resource)
        sreq = searching.parse(path[0], query, store, False)
        return {"resource": searching.run(store, sreq, base, path[0]), "response": {"status": "200 OK"}}
    raise FhirError(405, f"method {method} is not supported in a Bundle", "not-supported")


def _response(s, status: str, base: str) -> dict:
    return {"fullUrl": f"{base}/{s.type}/{s.id}",
            "response": {"status": status, "location": f"{s.type}/{s.id}/_history/{s.version}",
                         "etag": f'W/"{s.version}"', "lastModified": s.last_updated}}


