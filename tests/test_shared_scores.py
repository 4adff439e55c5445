"""The done-criterion of the converter: fact recall and precision on the shared answer keys.

Skips where ../shared is absent (a clone on its own).
"""
import json
import subprocess
import sys

import pytest

from .conftest import SHARED

SCORER = SHARED / "tools" / "score_facts.py"
MONOGRAPHS = SHARED / "monographs"
pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="../shared is not beside this checkout")


# The issue asks 0.90; these samples score 1.00, so a lower bound close to that catches a regression.
THRESHOLDS = {"cellex": (0.97, 0.97), "mexidol": (0.97, 0.97), "piracetam": (0.97, 0.97),
              "metformin-smpc": (0.97, 0.97), "lisinopril-uspi": (0.97, 0.97)}


@pytest.mark.parametrize("name", sorted(THRESHOLDS))
def test_sample_monographs_score(name, tmp_path):
    from fhir_adapter import convert

    bundle = tmp_path / f"{name}.json"
    bundle.write_text(convert((MONOGRAPHS / f"{name}.txt").read_text()).model_dump_json(exclude_none=True))
    p = subprocess.run([sys.executable, str(SCORER), "--bundle", str(bundle), "--facts",
                        str(MONOGRAPHS / f"{name}.facts.json"), "--json"], capture_output=True, text=True, timeout=120)
    score = json.loads(p.stdout)
    recall, precision = THRESHOLDS[name]
    assert score["recall"] >= recall, score["misses"]
    assert score["precision"] >= precision, score["misses"]


@pytest.mark.parametrize("path", sorted(MONOGRAPHS.glob("*.txt")) + sorted((SHARED / "real-labels").glob("*.txt")),
                         ids=lambda p: p.name)
def test_every_shared_text_converts(path):
    from fhir_adapter import convert, read_monograph

    mono = read_monograph(path.read_text())
    assert mono.product.name
    assert convert(path.read_text()).entry
