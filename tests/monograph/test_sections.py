from fhir_adapter.monograph.sections import match_heading, segment


def kinds(text):
    blocks, _ = segment(text)
    return [(b.kind, b.para.text) for b in blocks]


def test_headings_with_or_without_colon_in_any_case_and_synonyms():
    assert match_heading("Side effects:") == "undesirable_effects"
    assert match_heading("ADVERSE REACTIONS") == "undesirable_effects"
    assert match_heading("Storage") == "storage"
    assert match_heading("storage conditions:") == "storage"
    assert match_heading("4.3 Contraindications") == "contraindications"
    assert match_heading("Best before date:") == "shelf_life"
    assert match_heading("The drug is used for epilepsy") is None


def test_inline_heading_keeps_content_on_its_line():
    blocks, _ = segment("NAME 5 mg tablets\n\nATC code: N06BX03\n\nPharmacotherapeutic group: nootropic agent\n")
    atc = [b for b in blocks if b.kind == "atc"][0]
    assert atc.inline and atc.content == "N06BX03"


def test_lost_headings_are_placed_by_content_and_order(examplin_text):
    got = dict((t[:20], k) for k, t in kinds(examplin_text))
    assert got["Severe hepatic failu"] == "contraindications"
    assert got["When used together w"] == "interactions"


def test_paragraph_after_heading_stays_without_strong_cue():
    text = ("X 1 mg tablets\n\nIndications:\n\nepilepsy\n\nmigraine prophylaxis\n\nContraindications:\n\n"
            "hypersensitivity\n")
    got = kinds(text)
    assert ("indications", "migraine prophylaxis") in got
    assert ("contraindications", "hypersensitivity") in got


def test_overdose_without_heading_after_side_effects(seed_text):
    got = dict((t[:25], k) for k, t in kinds(seed_text))
    assert got["Currently, there are no c"] == "overdose"
    assert got["It is possible to reduce "] == "interactions"
    assert got["Epilepsy, manic psychosis"] == "contraindications"
