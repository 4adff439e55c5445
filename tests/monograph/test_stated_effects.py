"""Undesirable effects a Drug Facts label states only in its warnings."""
from fhir_adapter import read_monograph

LABEL = """Drug Facts
Active ingredient (in each tablet) | Purpose
Examine HCl 25 mg | Antihistamine
Uses
temporarily relieves sneezing
Warnings
Allergy alert: examine may cause a severe allergic reaction, especially in people allergic to aspirin. Symptoms may include: hives, facial swelling, rash.
Stomach bleeding warning: this product contains an NSAID, which may cause severe stomach bleeding.
When using this product
- marked drowsiness will occur
- stinging or sneezing may occur right after use
- avoid alcoholic drinks
Stop use and ask a doctor if
- an allergic reaction occurs
Directions
adults: take 1 tablet every 6 hours
"""


def test_what_the_warnings_say_the_product_may_cause_are_undesirable_effects():
    m = read_monograph(LABEL)
    assert m.family == "us-otc"
    got = [u.text for u in m.undesirable_effects]
    for want in ("severe allergic reaction", "hives", "facial swelling", "rash", "severe stomach bleeding",
                 "marked drowsiness", "stinging", "sneezing"):
        assert want in got, (want, got)
    assert not any("alcoholic" in g for g in got)
    for u in m.undesirable_effects:  # each span points at its words in the label
        assert m.text[u.span.start:u.span.end].lower() == u.text.lower()


def test_a_label_with_a_section_of_undesirable_effects_does_not_mine_its_warnings():
    text = ("Examplin 10 mg tablets\n\n4.4 Special warnings and precautions for use\n"
            "Dizziness may occur. Examplin may cause severe hypotension.\n\n4.8 Undesirable effects\n"
            "Common: headache, nausea.\n")
    got = [u.text for u in read_monograph(text).undesirable_effects]
    assert "headache" in got and not any("hypotension" in g or "Dizziness" in g for g in got)
