import json
import subprocess
import sys

import pytest

from fhir_adapter.validation import Validator
from fhir_adapter.validation.profiles import Profiles

from ..conftest import FIXTURES, SEED, SHARED, bundle_dict
from .corpus import CASES, CUD, VALID


@pytest.fixture(scope="module")
def validator():
    return Validator(profiles=Profiles())


def test_corpus_is_big_enough_and_covers_every_layer():
    assert len(CASES) >= 40
    assert {c[1] for c in CASES} == {"structure", "bindings", "invariants", "profiles"}


@pytest.mark.parametrize("resource", VALID, ids=lambda r: r["resourceType"])
def test_valid_resources_give_no_error(validator, resource):
    result = validator.validate(resource)
    assert result.errors == [], result.errors


@pytest.mark.parametrize("name,layer,resource,code,expression", CASES, ids=[c[0] for c in CASES])
def test_each_broken_rule_is_reported_where_it_is(validator, name, layer, resource, code, expression):
    result = validator.validate(resource)
    hits = [i for i in result.errors if i[1] == code and i[3] == expression]
    assert hits, f"{name}: expected {code} at {expression}, got {result.issues}"


def test_dom6_is_a_warning(validator):
    no_text = {k: v for k, v in CUD.items() if k not in ("text", "meta")}
    result = validator.validate(no_text)
    assert result.ok and any(i[0] == "warning" and "dom-6" in i[2] for i in result.issues)


def test_references_warn_or_fail_in_a_transaction():
    v = Validator(exists=lambda t, i: (t, i) == ("Medication", "m1"))
    dangling = dict(CUD, subject=[{"reference": "Medication/nope"}])
    assert v.validate(CUD).ok
    soft = v.validate(dangling)
    assert soft.ok and any(i[1] == "not-found" and i[0] == "warning" for i in soft.issues)
    hard = v.validate(dangling, in_transaction=True)
    assert any(i[1] == "not-found" and i[3] == "ClinicalUseDefinition.subject[0].reference" for i in hard.errors)


def test_syntax_layer():
    v = Validator()
    assert v.parse("{not json")[0] is None and v.parse("{not json")[1][0][1] == "structure"
    assert v.parse('{"a": 1}')[1]
    result = v.validate({"resourceType": "Nonsense"})
    assert result.errors and result.errors[0][3] == "resourceType"


def _texts():
    texts = [SEED] + sorted(FIXTURES.glob("*.txt"))
    if (SHARED / "monographs").is_dir():
        texts += sorted((SHARED / "monographs").glob("*.txt"))
    return texts


@pytest.mark.parametrize("path", _texts(), ids=lambda p: p.name)
def test_everything_the_converter_emits_is_valid(validator, path):
    for e in bundle_dict(path.read_text())["entry"]:
        result = validator.validate(e["resource"])
        assert result.errors == [], (e["resource"]["id"], result.errors)


def test_cli_validate(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(CUD))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(CUD, type="side-effect")))
    ok = subprocess.run([sys.executable, "-m", "fhir_adapter.cli", "validate", str(good)], capture_output=True, text=True,
                        timeout=120)
    assert ok.returncode == 0 and "0 errors" in ok.stdout
    ko = subprocess.run([sys.executable, "-m", "fhir_adapter.cli", "validate", str(good), str(bad)], capture_output=True,
                        text=True, timeout=120)
    assert ko.returncode == 1 and "code-invalid" in ko.stdout and "ClinicalUseDefinition.type" in ko.stdout


def test_xml_input():
    v = Validator()
    res, issues = v.parse('<Medication xmlns="http://hl7.org/fhir"><status value="active"/></Medication>')
    assert issues == [] and res == {"resourceType": "Medication", "status": "active"}
    assert v.parse("<Medication")[0] is None
    assert v.parse('<Medication xmlns="urn:other"/>')[1][0][2].startswith("the XML root")


def test_canonical_base_is_configurable(tmp_path):
    code = (
        "import json; from fhir_adapter import convert; from fhir_adapter.server import create_app\n"
        f"b = json.loads(convert(open({str(SEED)!r}).read()).model_dump_json(exclude_none=True))\n"
        "mk = b['entry'][0]['resource']\n"
        "c = create_app({}).test_client()\n"
        "sd = c.get('/fhir/StructureDefinition/fhir-adapter-medication-knowledge').get_json()\n"
        "v = c.post('/fhir/MedicationKnowledge/$validate', json=mk).get_json()\n"
        "print(json.dumps([mk['meta']['profile'][0], sd['url'], [(i['severity'], i['diagnostics']) for i in v['issue']]]))\n"
    )
    env = dict(__import__("os").environ, FHIR_ADAPTER_CANONICAL_BASE="https://drugs.example.org/fhir")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    profile, url, issues = json.loads(out.stdout.strip().splitlines()[-1])
    assert profile == url == "https://drugs.example.org/fhir/StructureDefinition/fhir-adapter-medication-knowledge"
    assert not [d for sev, d in issues if sev == "error" or "profile" in d]  # the moved profile is known and met
    assert issues and all("points at nothing" in d for _, d in issues)  # an empty store: references dangle


def test_profile_patterns_and_max_zero_compile(tmp_path):
    sd = {"resourceType": "StructureDefinition", "id": "t", "url": "http://example.org/StructureDefinition/t",
          "name": "T", "status": "active", "kind": "resource", "abstract": False, "type": "Medication",
          "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Medication", "derivation": "constraint",
          "differential": {"element": [
              {"id": "Medication.doseForm", "path": "Medication.doseForm",
               "patternCodeableConcept": {"coding": [{"system": "http://standardterms.edqm.eu", "code": "10219000"}]}},
              {"id": "Medication.batch", "path": "Medication.batch", "max": "0"}]}}
    (tmp_path / "StructureDefinition-t.json").write_text(json.dumps(sd))
    profiles = Profiles(tmp_path)
    url = sd["url"]
    tablet = {"resourceType": "Medication", "doseForm": {"coding": [
        {"system": "http://standardterms.edqm.eu", "code": "10219000", "display": "Tablet"}], "text": "tablets"}}
    assert profiles.check(tablet, url) == []
    capsule = {"resourceType": "Medication", "doseForm": {"coding": [{"system": "http://standardterms.edqm.eu",
                                                                      "code": "10210000"}]}}
    assert [i[3] for i in profiles.check(capsule, url)] == ["Medication.doseForm.coding"]
    with_batch = dict(tablet, batch={"lotNumber": "1"})
    assert [i[3] for i in profiles.check(with_batch, url)] == ["Medication.batch"]
