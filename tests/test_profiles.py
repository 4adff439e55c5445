"""The project's own definitions: valid R5, under one canonical base, and every project URL the
converter writes is one that profiles/ publishes (no made-up systems)."""
import json
from pathlib import Path

import pytest
from fhir.resources import get_fhir_model_class

from fhir_adapter.terminology import systems

from .conftest import FIXTURES, ROOT, SEED, bundle_dict

PROFILES = sorted((ROOT / "profiles").glob("*.json"))
HL7_SP = "http://hl7.org/fhir/SearchParameter"  # the R5 core parameters keep their own canonical URL


@pytest.mark.parametrize("path", PROFILES, ids=lambda p: p.name)
def test_profile_is_valid_r5_under_the_canonical_base(path: Path):
    res = json.loads(path.read_text())
    get_fhir_model_class(res["resourceType"]).model_validate(res)
    official = res["resourceType"] == "SearchParameter" and res["url"] == f"{HL7_SP}/{res['id']}"
    assert official or res["url"] == f"{systems.CANONICAL_BASE}/{res['resourceType']}/{res['id']}"
    assert path.name == f"{res['resourceType']}-{res['id']}.json"


def test_every_project_url_in_output_is_published():
    published = {json.loads(p.read_text())["url"] for p in PROFILES}
    used = set()

    def walk(n):
        if isinstance(n, dict):
            for k, v in n.items():
                if k in ("system", "url") and isinstance(v, str) and v.startswith(systems.CANONICAL_BASE):
                    used.add(v)
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)

    for path in (SEED, FIXTURES / "examplin.txt", FIXTURES / "normaxin.txt"):
        walk(bundle_dict(path.read_text()))
    assert used and used <= published, used - published
