"""The reader against the project's own corpus (tests/corpus, 4 families) and its headingless
variants: a regression floor per family and per component, scored by tests/scoring.py (which
agrees with the shared scorer, see test_scoring.py). The figures are printed at the end of the run.

The floors sit a little under what the reader scores today; raise them as the reader improves.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from .scoring import component, score_dir

HERE = Path(__file__).resolve().parent
SETS = {"corpus": HERE / "corpus", "headingless": HERE / "corpus_headingless"}

# (recall, precision) per family
FLOORS = {
    "corpus": {"ru-instruction": (0.91, 0.94), "eu-smpc": (0.90, 0.94), "us-pi": (0.92, 0.92),
               "us-otc": (0.90, 0.93)},
    "headingless": {"ru-instruction": (0.86, 0.89), "eu-smpc": (0.83, 0.85), "us-pi": (0.87, 0.90),
                    "us-otc": (0.88, 0.93)},
}
# recall per component over the whole set
COMPONENT_FLOORS = {
    "corpus": {"composition": 0.93, "dosing": 0.91, "items": 0.88, "product": 0.87, "storage+packaging": 0.95},
    "headingless": {"composition": 0.88, "dosing": 0.92, "items": 0.83, "product": 0.85, "storage+packaging": 0.90},
}
# A produced Dosage that no regimen of the label has is the most harmful error: kept rare.
DOSAGE_PRECISION_FLOOR = 0.98


RUNS: dict = {}  # name -> Run, printed at the end of the test run (conftest.py)


def run(name: str):
    if name not in RUNS:
        RUNS[name] = score_dir([SETS[name]], validate=False)
    return RUNS[name]


@pytest.mark.parametrize("name, family", [(s, f) for s in FLOORS for f in FLOORS[s]])
def test_family_scores_do_not_regress(name, family):
    sc = run(name).families[family]
    recall, precision = FLOORS[name][family]
    misses = "\n".join(sc.misses[:40])
    assert sc.recall >= recall, f"{name}/{family} recall {sc.recall:.3f} < {recall}\n{misses}"
    assert sc.precision >= precision, f"{name}/{family} precision {sc.precision:.3f} < {precision}\n{misses}"


@pytest.mark.parametrize("name", sorted(COMPONENT_FLOORS))
def test_component_scores_do_not_regress(name):
    comps = component(run(name).total)
    low = {c: round(comps[c].recall, 3) for c, floor in COMPONENT_FLOORS[name].items() if comps[c].recall < floor}
    assert low == {}, f"{name}: components under their floor: {low}"
    dosing = comps["dosing"]
    assert dosing.precision >= DOSAGE_PRECISION_FLOOR, f"{name}: dosage precision {dosing.precision:.3f}"


def test_every_family_is_in_the_corpus_with_enough_texts():
    r = run("corpus")
    per = {f: sum(1 for v in r.family_of.values() if v == f) for f in r.families}
    assert set(per) == {"ru-instruction", "eu-smpc", "us-pi", "us-otc"}
    assert sum(per.values()) >= 30 and min(per.values()) >= 5
