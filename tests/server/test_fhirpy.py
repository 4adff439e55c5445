"""The server through fhirpy's sync client: a real FHIR client with no special knowledge of it."""
import pytest

fhirpy = pytest.importorskip("fhirpy")


@pytest.fixture()
def client(server):
    return fhirpy.SyncFHIRClient(server, extra_headers={"Accept": "application/fhir+json"})


def test_search_read_and_paging(client):
    cuds = client.resources("ClinicalUseDefinition").search(type="contraindication").limit(3)
    assert cuds.count() >= 8
    everything = cuds.fetch_all()  # follows the next links to the end
    assert len(everything) == cuds.count() and len({c["id"] for c in everything}) == len(everything)
    first = everything[0]
    again = client.reference("ClinicalUseDefinition", first["id"]).to_resource()
    assert again["type"] == "contraindication"


def test_include_and_chained(client):
    mk = (client.resources("MedicationKnowledge").search(name="cellex")
          .include("MedicationKnowledge", "associated-medication").fetch_raw())
    types = [e["resource"]["resourceType"] for e in mk["entry"]]
    assert types.count("MedicationKnowledge") == 1 and types.count("Medication") == 1
    chained = client.resources("ClinicalUseDefinition").search(**{"subject:Medication.code:text": "cellex"})
    assert chained.count() > 20


def test_create_update_delete(client):
    med = client.resource("Medication", status="active", code={"text": "Fhirpymol"})
    med.save()
    assert med["id"] and med["meta"]["versionId"] == "1"
    med["status"] = "inactive"
    med.save()
    assert client.reference("Medication", med["id"]).to_resource()["status"] == "inactive"
    assert client.resources("Medication").search(name="fhirpymol").count() == 1
    med.delete()
    assert client.resources("Medication").search(name="fhirpymol").count() == 0
