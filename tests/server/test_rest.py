"""The REST API driven over HTTP with requests, as a FHIR client would."""
import json
import xml.etree.ElementTree as ET

import requests

FHIR_JSON = "application/fhir+json"
H = {"Content-Type": FHIR_JSON, "Accept": FHIR_JSON}


def get(server, path, **kw):
    return requests.get(f"{server}/{path}", timeout=10, **kw)


def search(server, path):
    r = get(server, path)
    assert r.status_code == 200, r.text
    return r.json()


def ids(bundle, mode="match"):
    return [e["resource"]["id"] for e in bundle.get("entry", []) if e.get("search", {}).get("mode") == mode]


def test_metadata_tells_the_truth(server):
    cs = search(server, "metadata")
    assert cs["resourceType"] == "CapabilityStatement" and cs["fhirVersion"] == "5.0.0"
    res = {r["type"]: r for r in cs["rest"][0]["resource"]}
    assert {"MedicationKnowledge", "Medication", "ClinicalUseDefinition", "PackagedProductDefinition",
            "DocumentReference", "Group", "SearchParameter", "StructureDefinition", "ValueSet", "CodeSystem"} <= set(res)
    mk = {p["name"]: p for p in res["MedicationKnowledge"]["searchParam"]}
    assert mk["name"]["type"] == "string" and mk["clinical-use-issue"]["type"] == "reference"
    assert mk["code"]["definition"] == "http://hl7.org/fhir/SearchParameter/MedicationKnowledge-code"
    assert all(p["documentation"] for p in mk.values())
    assert "create" not in [i["code"] for i in res["SearchParameter"]["interaction"]]


def test_read_and_errors_are_operation_outcomes(server):
    b = search(server, "Medication?name=cellex")
    mid = ids(b)[0]
    r = get(server, f"Medication/{mid}")
    assert r.status_code == 200 and r.headers["ETag"] == 'W/"1"' and "Last-Modified" in r.headers
    assert r.headers["Content-Type"].startswith(FHIR_JSON)
    assert get(server, f"Medication/{mid}", headers={"If-None-Match": 'W/"1"'}).status_code == 304
    for path, status in (("Medication/nope", 404), ("Patient/1", 404), ("Nonsense/1", 404),
                         ("Medication?_count=abc", 400)):
        r = get(server, path)
        assert r.status_code == status, path
        assert r.json()["resourceType"] == "OperationOutcome"
    r = requests.patch(f"{server}/Medication/{mid}", timeout=10)
    assert r.status_code == 405 and r.json()["resourceType"] == "OperationOutcome"
    assert get(server, "Medication", headers={"Accept": "image/png"}).status_code == 406
    assert requests.post(f"{server}/Medication", data=b"x", headers={"Content-Type": "text/plain"},
                         timeout=10).status_code == 415
    assert requests.put(f"{server}/SearchParameter/x", data="{}", headers=H, timeout=10).status_code == 405


def test_search_each_parameter_type(server):
    # token, with and without system, :text, :not
    assert len(ids(search(server, "ClinicalUseDefinition?type=contraindication&_count=100"))) >= 8
    edqm = search(server, "Medication?form=http://standardterms.edqm.eu|11201000")
    assert len(ids(edqm)) == 1
    assert search(server, "Medication?form=|11201000")["total"] == 0  # no system given: must have none
    assert search(server, "Medication?form=http://standardterms.edqm.eu|")["total"] == 3
    assert search(server, "Medication?code:text=cellex")["total"] == 1
    not_ci = search(server, "ClinicalUseDefinition?type:not=contraindication&_summary=count")["total"]
    all_cud = search(server, "ClinicalUseDefinition?_summary=count")["total"]
    ci = search(server, "ClinicalUseDefinition?type=contraindication&_summary=count")["total"]
    assert not_ci == all_cud - ci
    # string: prefix by default, :exact, :contains
    assert search(server, "MedicationKnowledge?name=CEL")["total"] == 1
    assert search(server, "MedicationKnowledge?name:exact=cellex")["total"] == 0
    assert search(server, "MedicationKnowledge?name:exact=Cellex")["total"] == 1
    assert search(server, "MedicationKnowledge?name:contains=axi")["total"] == 1
    # reference: Type/id, id, :Type, chained
    med = ids(search(server, "Medication?name=cellex"))[0]
    by_ref = search(server, f"ClinicalUseDefinition?subject=Medication/{med}&_summary=count")["total"]
    assert by_ref > 20
    assert search(server, f"ClinicalUseDefinition?subject={med}&_summary=count")["total"] == by_ref
    assert search(server, f"ClinicalUseDefinition?subject:Medication={med}&_summary=count")["total"] == by_ref
    chained = search(server, "ClinicalUseDefinition?subject:Medication.code:text=cellex&_summary=count")["total"]
    assert chained == by_ref
    # OR within a parameter, AND across repeats
    both = search(server, "ClinicalUseDefinition?type=indication,contraindication&_summary=count")["total"]
    assert both == ci + search(server, "ClinicalUseDefinition?type=indication&_summary=count")["total"]
    assert search(server, "ClinicalUseDefinition?type=indication&type=contraindication")["total"] == 0
    # date with prefixes on _lastUpdated
    assert search(server, "Medication?_lastUpdated=gt2000-01-01")["total"] == 3
    assert search(server, "Medication?_lastUpdated=lt2000-01-01")["total"] == 0
    # :missing
    assert search(server, "Medication?form:missing=false")["total"] == 3
    # _has
    assert search(server, "Medication?_has:ClinicalUseDefinition:subject:type=interaction")["total"] == 3


def test_search_by_icd10_code_and_text(server):
    b = search(server, "ClinicalUseDefinition?contraindication=http://hl7.org/fhir/sid/icd-10|G40")
    assert [e["resource"]["contraindication"]["diseaseSymptomProcedure"]["concept"]["text"] for e in b["entry"]
            if e["search"]["mode"] == "match"] == ["Epilepsy"]
    assert search(server, "ClinicalUseDefinition?contraindication:text=epilep")["total"] == 1


def test_percent_encoded_parameters_are_decoded(server):
    a = search(server, "Medication?form=http%3A%2F%2Fstandardterms.edqm.eu%7C11201000")
    assert a["total"] == 1


def test_unknown_parameters_warn_or_fail_when_strict(server):
    b = search(server, "ClinicalUseDefinition?nonsense=1&_count=1")
    assert b["entry"][-1]["search"]["mode"] == "outcome"
    assert "nonsense" in b["entry"][-1]["resource"]["issue"][0]["diagnostics"]
    r = get(server, "ClinicalUseDefinition?nonsense=1", headers={"Prefer": "handling=strict"})
    assert r.status_code == 400 and r.json()["resourceType"] == "OperationOutcome"


def test_include_and_revinclude(server):
    b = search(server, "MedicationKnowledge?name=cellex&_include=MedicationKnowledge:clinical-use-issue"
                       "&_include=MedicationKnowledge:associated-medication")
    assert len(ids(b)) == 1
    inc = [e["resource"]["resourceType"] for e in b["entry"] if e["search"]["mode"] == "include"]
    assert inc.count("ClinicalUseDefinition") > 20 and inc.count("Medication") == 1
    r = search(server, "Medication?name=cellex&_revinclude=ClinicalUseDefinition:subject"
                       "&_revinclude:iterate=MedicationKnowledge:clinical-use-issue")
    kinds = {e["resource"]["resourceType"] for e in r["entry"] if e["search"]["mode"] == "include"}
    assert kinds == {"ClinicalUseDefinition", "MedicationKnowledge"}


def test_paging_to_the_end_with_stable_links(server):
    url = f"{server}/ClinicalUseDefinition?_count=7&_sort=type,-_id"
    seen, pages = [], 0
    total = None
    while url:
        b = requests.get(url, timeout=10).json()
        total = b["total"]
        seen += ids(b)
        links = {link["relation"]: link["url"] for link in b["link"]}
        assert links["self"].startswith(server) and links["first"].startswith(server)
        if pages:
            assert "previous" in links
        url = links.get("next")
        pages += 1
    assert len(seen) == total == len(set(seen)) and pages == -(-total // 7)


def test_sort_orders(server):
    asc = ids(search(server, "ClinicalUseDefinition?_sort=_id&_count=50"))
    desc = ids(search(server, "ClinicalUseDefinition?_sort=-_id&_count=50"))
    assert asc == sorted(asc) and desc == sorted(desc, reverse=True)


def test_summary_and_elements(server):
    b = search(server, "ClinicalUseDefinition?_summary=true&_count=1")
    r = b["entry"][0]["resource"]
    assert "text" not in r and "type" in r
    assert any(t["code"] == "SUBSETTED" for t in r["meta"]["tag"])
    e = search(server, "ClinicalUseDefinition?_elements=type&_count=1")["entry"][0]["resource"]
    assert set(e) <= {"resourceType", "id", "meta", "type"}
    c = search(server, "ClinicalUseDefinition?_summary=count")
    assert c["total"] > 30 and "entry" not in c


def test_post_search(server):
    r = requests.post(f"{server}/ClinicalUseDefinition/_search", data={"type": "contraindication"}, timeout=10)
    assert r.status_code == 200 and r.json()["total"] >= 8


def test_create_update_conflict_delete(server):
    med = {"resourceType": "Medication", "status": "active", "code": {"text": "Crudamol"}}
    r = requests.post(f"{server}/Medication", data=json.dumps(med), headers=H, timeout=10)
    assert r.status_code == 201 and r.headers["Location"].startswith(f"{server}/Medication/")
    rid = r.json()["id"]
    body = r.json()
    body["status"] = "inactive"
    ok = requests.put(f"{server}/Medication/{rid}", data=json.dumps(body), headers={**H, "If-Match": 'W/"1"'}, timeout=10)
    assert ok.status_code == 200 and ok.headers["ETag"] == 'W/"2"'
    stale = requests.put(f"{server}/Medication/{rid}", data=json.dumps(dict(body, status="active")),
                         headers={**H, "If-Match": 'W/"1"'}, timeout=10)
    assert stale.status_code == 412 and stale.json()["resourceType"] == "OperationOutcome"
    assert get(server, f"Medication/{rid}").json()["status"] == "inactive"  # the stale write lost nothing
    hist = search(server, f"Medication/{rid}/_history")
    assert hist["type"] == "history" and hist["total"] == 2
    assert get(server, f"Medication/{rid}/_history/1").json()["status"] == "active"
    minimal = requests.put(f"{server}/Medication/{rid}", data=json.dumps(dict(body, status="active")),
                           headers={**H, "Prefer": "return=minimal"}, timeout=10)
    assert minimal.status_code == 200 and minimal.content == b""
    assert requests.delete(f"{server}/Medication/{rid}", timeout=10).status_code == 200
    assert get(server, f"Medication/{rid}").status_code == 410
    # create-on-update with the client's id
    mine = dict(med, id="client-chosen-1")
    r = requests.put(f"{server}/Medication/client-chosen-1", data=json.dumps(mine), headers=H, timeout=10)
    assert r.status_code == 201
    bad = requests.put(f"{server}/Medication/other-id", data=json.dumps(mine), headers=H, timeout=10)
    assert bad.status_code == 400


def test_conditional_create(server):
    med = {"resourceType": "Medication", "status": "active", "code": {"text": "Condamol"}}
    h = {**H, "If-None-Exist": "name=Condamol"}
    first = requests.post(f"{server}/Medication", data=json.dumps(med), headers=h, timeout=10)
    second = requests.post(f"{server}/Medication", data=json.dumps(med), headers=h, timeout=10)
    assert (first.status_code, second.status_code) == (201, 200)
    assert search(server, "Medication?name=Condamol")["total"] == 1


def test_invalid_resources_are_refused(server):
    r = requests.post(f"{server}/Medication", data=json.dumps({"resourceType": "Medication", "colour": "red"}),
                      headers=H, timeout=10)
    assert r.status_code == 422 and r.json()["resourceType"] == "OperationOutcome"
    r = requests.post(f"{server}/Medication", data="{not json", headers=H, timeout=10)
    assert r.status_code == 400
    r = requests.post(f"{server}/Medication", data=json.dumps({"resourceType": "Group"}), headers=H, timeout=10)
    assert r.status_code == 400


def test_transaction_is_all_or_nothing(server):
    def tx(second_type):
        return {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": "urn:uuid:0b5e0c8e-0000-4000-8000-000000000001",
             "resource": {"resourceType": "Medication", "status": "active", "code": {"text": f"Txamol-{second_type}"}},
             "request": {"method": "POST", "url": "Medication"}},
            {"resource": {"resourceType": "ClinicalUseDefinition", "type": "warning", second_type: "x",
                          "subject": [{"reference": "urn:uuid:0b5e0c8e-0000-4000-8000-000000000001"}]},
             "request": {"method": "POST", "url": "ClinicalUseDefinition"}}]}

    good = tx("id")
    good["entry"][1]["resource"].pop("id")
    good["entry"][1]["resource"]["warning"] = {"description": "Take care"}
    r = requests.post(server, data=json.dumps(good), headers=H, timeout=10)
    assert r.status_code == 200, r.text
    b = r.json()
    assert b["type"] == "transaction-response" and [e["response"]["status"] for e in b["entry"]] == ["201 Created"] * 2
    med_id = b["entry"][0]["response"]["location"].split("/")[1]
    cud_id = b["entry"][1]["response"]["location"].split("/")[1]
    assert get(server, f"ClinicalUseDefinition/{cud_id}").json()["subject"][0]["reference"] == f"Medication/{med_id}"
    r = requests.post(server, data=json.dumps(tx("bogusElement")), headers=H, timeout=10)
    assert r.status_code == 422 and r.json()["resourceType"] == "OperationOutcome"
    assert search(server, "Medication?name=Txamol-bogusElement")["total"] == 0  # rolled back


def test_batch_reports_each_entry(server):
    batch = {"resourceType": "Bundle", "type": "batch", "entry": [
        {"request": {"method": "GET", "url": "Medication?name=cellex"}},
        {"request": {"method": "GET", "url": "Medication/does-not-exist"}}]}
    r = requests.post(server, data=json.dumps(batch), headers=H, timeout=10)
    assert r.status_code == 200
    statuses = [e["response"]["status"] for e in r.json()["entry"]]
    assert statuses[0] == "200 OK" and statuses[1] == "404"


def test_xml_round_trip(server):
    xml_h = {"Content-Type": "application/fhir+xml", "Accept": "application/fhir+xml"}
    med = ('<Medication xmlns="http://hl7.org/fhir"><status value="active"/>'
           '<code><text value="Xmlamol"/></code></Medication>')
    r = requests.post(f"{server}/Medication", data=med.encode(), headers=xml_h, timeout=10)
    assert r.status_code == 201 and r.headers["Content-Type"].startswith("application/fhir+xml")
    root = ET.fromstring(r.content)
    assert root.tag == "{http://hl7.org/fhir}Medication"
    rid = root.find("{http://hl7.org/fhir}id").get("value")
    back = get(server, f"Medication/{rid}?_format=json").json()
    assert back["code"]["text"] == "Xmlamol"
    b = get(server, "Medication?name=xmlamol&_format=xml")
    assert ET.fromstring(b.content).tag == "{http://hl7.org/fhir}Bundle"
    r = requests.post(f"{server}/Medication", data=b"<Medication", headers=xml_h, timeout=10)
    assert r.status_code == 400


def test_cors_and_plain_json(server):
    r = requests.options(f"{server}/Medication", timeout=10)
    assert r.headers["Access-Control-Allow-Origin"] == "*" and "If-Match" in r.headers["Access-Control-Allow-Headers"]
    assert "PUT" in r.headers["Access-Control-Allow-Methods"]
    g = requests.get(f"{server}/metadata", timeout=10)
    assert g.headers["Access-Control-Allow-Origin"] == "*" and "ETag" in g.headers["Access-Control-Expose-Headers"]
    med = {"resourceType": "Medication", "status": "active", "code": {"text": "Plainjson"}}
    r = requests.post(f"{server}/Medication", data=json.dumps(med), headers={"Content-Type": "application/json"},
                      timeout=10)
    assert r.status_code == 201 and r.headers["Content-Type"].startswith(FHIR_JSON)
