"""Every method the server routes does only what it names (http.html): a safe method never
writes, and each write changes exactly the resource its URL names, in the way its method says."""
from __future__ import annotations

import json

import pytest

from fhir_adapter.server import create_app

MED = {"resourceType": "Medication", "status": "active", "code": {"text": "probe"}}
EMPTY_BATCH = {"resourceType": "Bundle", "type": "batch", "entry": []}
SAFE = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture()
def app():
    return create_app({"DB": ":memory:"})


def versions(app) -> list[tuple]:
    """Every stored version of every resource: any write shows up here."""
    rows, _ = app.config["STORE"].history(limit=1_000_000)
    return sorted((s.type, s.id, s.version, s.method) for s in rows)


def concrete(rule: str, rid: str) -> str:
    return (rule.replace("<rtype>", "Medication").replace("<rid>", rid).replace("<vid>", "1"))


def routed(app) -> list[tuple[str, str]]:
    return sorted((r.rule, m) for r in app.url_map.iter_rules() if r.rule.startswith("/fhir")
                  for m in r.methods)


def body_for(rule: str, method: str) -> dict | None:
    if method == "PUT":
        return MED
    if method == "POST":
        if rule.rstrip("/") == "/fhir":
            return EMPTY_BATCH
        return MED
    return None


def test_the_routing_table_is_what_the_server_documents(app):
    methods = {}
    for rule, m in routed(app):
        methods.setdefault(rule, set()).add(m)
    assert methods["/fhir/<rtype>/<rid>"] == {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
    assert methods["/fhir/<rtype>"] == {"GET", "HEAD", "OPTIONS", "POST"}


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_safe_methods_never_write_anywhere(app, method):
    client = app.test_client()
    rid = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    before = versions(app)
    for rule, m in routed(app):
        if m != method:
            continue
        resp = client.open(concrete(rule, rid), method=method)
        assert resp.status_code < 500, (rule, method, resp.status_code)
        assert versions(app) == before, f"{method} {rule} changed the store"
    assert client.get(f"/fhir/Medication/{rid}").status_code == 200


def test_head_on_a_resource_reads_it_and_leaves_it(app):
    client = app.test_client()
    rid = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    get = client.get(f"/fhir/Medication/{rid}")
    head = client.head(f"/fhir/Medication/{rid}")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"] == 'W/"1"'
    assert client.get(f"/fhir/Medication/{rid}").status_code == 200
    assert [v[3] for v in versions(app) if v[1] == rid] == ["POST"]


def test_head_on_a_type_searches_and_creates_nothing(app):
    client = app.test_client()
    before = versions(app)
    resp = client.open("/fhir/Medication", method="HEAD", data=json.dumps(MED),
                       content_type="application/fhir+json")
    assert resp.status_code == 200 and resp.data == b""
    assert versions(app) == before


@pytest.mark.parametrize("rule", ["/fhir/<rtype>/_search", "/fhir/<rtype>/$validate",
                                  "/fhir/<rtype>/<rid>/$validate", "/fhir/"])
def test_posts_that_name_no_write_do_not_write(app, rule):
    client = app.test_client()
    rid = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    before = versions(app)
    if rule.endswith("_search"):
        resp = client.post(concrete(rule, rid), data={"status": "active"})
    else:
        resp = client.post(concrete(rule, rid), json=body_for(rule, "POST"))
    assert resp.status_code == 200, resp.data
    assert versions(app) == before


def test_each_write_changes_only_the_resource_it_names(app):
    client = app.test_client()
    a = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    b = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    base = versions(app)

    client.put(f"/fhir/Medication/{a}", json={**MED, "id": a, "status": "inactive"})
    after_put = versions(app)
    assert set(after_put) - set(base) == {("Medication", a, 2, "PUT")}

    client.delete(f"/fhir/Medication/{a}")
    after_delete = versions(app)
    assert set(after_delete) - set(after_put) == {("Medication", a, 3, "DELETE")}
    assert client.get(f"/fhir/Medication/{b}").status_code == 200

    client.post("/fhir/Medication", json=MED)
    new = set(versions(app)) - set(after_delete)
    assert len(new) == 1 and next(iter(new))[2:] == (1, "POST") and next(iter(new))[1] not in (a, b)


@pytest.mark.parametrize("method", ["PATCH", "TRACE", "CONNECT", "PROPFIND"])
def test_methods_not_routed_are_405_with_allow_and_change_nothing(app, method):
    client = app.test_client()
    rid = client.post("/fhir/Medication", json=MED).headers["Location"].split("/")[-3]
    before = versions(app)
    resp = client.open(f"/fhir/Medication/{rid}", method=method, json=MED)
    assert resp.status_code == 405
    assert resp.json["resourceType"] == "OperationOutcome"
    assert set(resp.headers["Allow"].split(", ")) == {"DELETE", "GET", "HEAD", "OPTIONS", "PUT"}
    assert versions(app) == before
