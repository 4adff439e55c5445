"""HTTP behaviour through Flask's test client: limits, base URLs, headers, loading."""
import json
import subprocess
import sys

from fhir_adapter.server import create_app

from ..conftest import SEED

H = {"Content-Type": "application/fhir+json"}


def test_body_limit_is_413_outcome():
    c = create_app({"MAX_CONTENT_LENGTH": 1000}).test_client()
    r = c.post("/fhir/Medication", data=b"{" + b" " * 5000 + b"}", headers=H)
    assert r.status_code == 413 and r.get_json()["resourceType"] == "OperationOutcome"


def test_links_use_the_configured_base_behind_a_proxy():
    c = create_app({"BASE_URL": "https://drugs.example.org/api/fhir", "LOAD": [str(SEED)]}).test_client()
    b = c.get("/fhir/ClinicalUseDefinition?_count=2").get_json()
    assert all(link["url"].startswith("https://drugs.example.org/api/fhir/ClinicalUseDefinition?") for link in b["link"])
    assert b["entry"][0]["fullUrl"].startswith("https://drugs.example.org/api/fhir/")
    r = c.post("/fhir/Medication", data=json.dumps({"resourceType": "Medication"}), headers=H)
    assert r.headers["Location"].startswith("https://drugs.example.org/api/fhir/Medication/")


def test_links_follow_the_host_the_client_called(app_client):
    b = app_client.get("/fhir/Medication", base_url="http://other-host:9999").get_json()
    assert b["link"][0]["url"].startswith("http://other-host:9999/fhir/Medication?")


def test_prefer_return_and_pretty(app_client):
    body = json.dumps({"resourceType": "Medication", "status": "active"})
    r = app_client.post("/fhir/Medication", data=body, headers={**H, "Prefer": "return=OperationOutcome"})
    assert r.status_code == 201 and r.get_json()["resourceType"] == "OperationOutcome"
    rid = r.headers["Location"].split("/Medication/")[1].split("/")[0]
    r = app_client.get(f"/fhir/Medication/{rid}?_pretty=true")
    assert b'\n  "resourceType"' in r.data
    r = app_client.get(f"/fhir/Medication/{rid}", headers={"If-Modified-Since": "Tue, 01 Jan 2999 00:00:00 GMT"})
    assert r.status_code == 304
    r = app_client.get(f"/fhir/Medication/{rid}", headers={"If-Modified-Since": "Tue, 01 Jan 2000 00:00:00 GMT"})
    assert r.status_code == 200


def test_history_levels(app_client):
    for i in range(3):
        app_client.post("/fhir/Medication", data=json.dumps({"resourceType": "Medication", "code": {"text": f"m{i}"}}),
                        headers=H)
    t = app_client.get("/fhir/Medication/_history").get_json()
    s = app_client.get("/fhir/_history?_count=2").get_json()
    assert t["type"] == "history" and t["total"] == 3
    assert len(s["entry"]) == 2 and any(link["relation"] == "next" for link in s["link"])
    assert app_client.get("/fhir/Medication/_history?_since=not-a-date").status_code == 400
    assert app_client.get("/fhir/Medication/nope/_history").status_code == 404


def test_unknown_routes_and_types_answer_outcomes(app_client):
    for path in ("/fhir/Medication/a/b/c/d", "/elsewhere"):
        r = app_client.get(path)
        assert r.status_code == 404 and r.get_json()["resourceType"] == "OperationOutcome"
    r = app_client.get("/fhir/Medication?_format=text/csv")
    assert r.status_code == 406 and r.get_json()["resourceType"] == "OperationOutcome"


def test_load_is_idempotent_and_cli_load_works(tmp_path):
    db = tmp_path / "x.sqlite"
    cmd = [sys.executable, "-m", "fhir_adapter.cli", "load", str(SEED), "--db", str(db)]
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and "37 new versions" in first.stderr
    assert second.returncode == 0 and "0 new versions" in second.stderr
    missing = subprocess.run([sys.executable, "-m", "fhir_adapter.cli", "load", str(tmp_path / "no.txt"), "--db",
                              str(db)], capture_output=True, text=True, timeout=120)
    assert missing.returncode != 0 and "no such file" in missing.stderr
    c = create_app({"DB": str(db)}).test_client()
    assert c.get("/fhir/MedicationKnowledge?_summary=count").get_json()["total"] == 1


def test_conformance_resources_are_published(app_client):
    sd = app_client.get("/fhir/StructureDefinition/source-span").get_json()
    assert sd["url"].endswith("/StructureDefinition/source-span")
    b = app_client.get("/fhir/SearchParameter?base=MedicationKnowledge&code=name").get_json()
    assert b["total"] == 1
    cs = app_client.get("/fhir/CodeSystem?url=https://fhir-adapter.github.io/fhir/CodeSystem/product").get_json()
    assert cs["total"] == 1
