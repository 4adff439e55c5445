"""$validate and validation on write, over HTTP."""
import json

import requests

from ..validation.corpus import CUD, MED

H = {"Content-Type": "application/fhir+json"}


def test_validate_bare_resource_and_parameters(server):
    r = requests.post(f"{server}/Medication/$validate", data=json.dumps(MED), headers=H, timeout=10)
    assert r.status_code == 200
    issues = r.json()["issue"]
    assert [i["severity"] for i in issues] == ["information"]  # all clear
    bad = dict(MED, status="ok")
    params = {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": bad},
                                                          {"name": "mode", "valueCode": "create"}]}
    r = requests.post(f"{server}/Medication/$validate", data=json.dumps(params), headers=H, timeout=10)
    assert r.status_code == 200
    err = [i for i in r.json()["issue"] if i["severity"] == "error"]
    assert err and err[0]["code"] == "code-invalid" and err[0]["expression"] == ["Medication.status"]


def test_validate_instance_modes_and_profile(server):
    mid = requests.get(f"{server}/Medication?name=cellex", timeout=10).json()["entry"][0]["resource"]["id"]
    upd = {"resourceType": "Parameters", "parameter": [{"name": "resource", "resource": dict(MED, id="other")},
                                                       {"name": "mode", "valueCode": "update"}]}
    r = requests.post(f"{server}/Medication/{mid}/$validate", data=json.dumps(upd), headers=H, timeout=10)
    assert any(i["severity"] == "error" and "mode=update" in i["diagnostics"] for i in r.json()["issue"])
    dele = {"resourceType": "Parameters", "parameter": [{"name": "mode", "valueCode": "delete"}]}
    r = requests.post(f"{server}/Medication/{mid}/$validate", data=json.dumps(dele), headers=H, timeout=10)
    assert r.json()["issue"][0]["severity"] == "information"
    r = requests.post(f"{server}/Medication/gone-away/$validate", data=json.dumps(dele), headers=H, timeout=10)
    assert r.json()["issue"][0]["code"] == "not-found"
    prof = {"resourceType": "Parameters", "parameter": [
        {"name": "resource", "resource": {k: v for k, v in MED.items() if k not in ("meta", "code")}},
        {"name": "profile", "valueUri": "https://fhir-adapter.github.io/fhir/StructureDefinition/fhir-adapter-medication"}]}
    r = requests.post(f"{server}/Medication/$validate", data=json.dumps(prof), headers=H, timeout=10)
    assert any(i["expression"] == ["Medication.code"] for i in r.json()["issue"] if i["severity"] == "error")


def test_writes_are_validated_first_and_store_nothing_when_invalid(server):
    before = requests.get(f"{server}/ClinicalUseDefinition?_summary=count", timeout=10).json()["total"]
    bad = {k: v for k, v in CUD.items() if k != "id"}
    bad["type"] = "side-effect"
    r = requests.post(f"{server}/ClinicalUseDefinition", data=json.dumps(bad), headers=H, timeout=10)
    assert r.status_code == 422
    body = r.json()
    assert body["resourceType"] == "OperationOutcome"
    assert any(i["expression"] == ["ClinicalUseDefinition.type"] for i in body["issue"])
    after = requests.get(f"{server}/ClinicalUseDefinition?_summary=count", timeout=10).json()["total"]
    assert after == before


def test_capability_statement_lists_validation(server):
    cs = requests.get(f"{server}/metadata", timeout=10).json()
    res = {r["type"]: r for r in cs["rest"][0]["resource"]}
    assert res["Medication"]["supportedProfile"] == [
        "https://fhir-adapter.github.io/fhir/StructureDefinition/fhir-adapter-medication"]
    assert res["Medication"]["operation"][0]["name"] == "validate"
    od = requests.get(f"{server}/OperationDefinition/validate", timeout=10).json()
    assert od["code"] == "validate" and od["instance"] is True
