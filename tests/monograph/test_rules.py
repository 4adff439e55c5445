"""Rules as data: every file loads and validates, a broken one fails with its file named, and the
detected language and family choose the section model."""
import json

import pytest

from fhir_adapter import read_monograph
from fhir_adapter.monograph import rules
from fhir_adapter.monograph.sections import match_heading, segment


def test_every_family_of_every_language_has_a_valid_model():
    seen = []
    for lang in rules.languages():
        _default, fams = rules.families(lang)
        for fam, _signals in fams:
            m = rules.section_model(lang, fam)
            assert m.order[0] == "title" and len(set(m.order)) == len(m.order)
            assert m.compiled.heading_re.pattern
            seen.append((lang, fam))
    assert {("en", "ru-instruction"), ("en", "eu-smpc"), ("en", "us-pi"), ("en", "us-otc"),
            ("ru", "ru-instruction")} <= set(seen)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["headings"].append({"kind": "nonsense", "match": "x y"}), "not a section kind"),
    (lambda d: d["headings"].append({"kind": "dosage", "match": "(unclosed"}), "bad pattern"),
    (lambda d: d["headings"].append({"kind": "dosage"}), "'match' is a required property"),
    (lambda d: d.update(order=["title", "title", "dosage", "storage", "overdose"]), "non-unique"),
    (lambda d: d["cues"].update(dosage=[{"match": "dose", "weight": 99}]), "maximum"),
    (lambda d: d["cues"].update(dosage=[{"entity": "a_dose_somewhere", "weight": 3}]), "is not one of"),
    (lambda d: d["cues"].update(dosage=[{"entity": "dose_with_frequency", "match": "dose", "weight": 3}]),
     "valid under each of"),
])
def test_a_broken_rules_file_fails_loudly_naming_the_file(tmp_path, change, message):
    data = json.loads((rules.HERE / "en" / "us-pi" / "sections.json").read_text())
    change(data)
    path = tmp_path / "sections.json"
    path.write_text(json.dumps(data))
    with pytest.raises(rules.RulesError, match=message) as exc:
        rules.load_sections_file(path)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize("text, family", [
    ("Examplol 5 mg tablets\n\n4.1 Therapeutic indications\nHypertension.\n\n4.2 Posology and method of "
     "administration\nOne tablet daily.\n", "eu-smpc"),
    ("HIGHLIGHTS OF PRESCRIBING INFORMATION\nThese highlights do not include all the information\n\n"
     "1 INDICATIONS AND USAGE\nHypertension.\n", "us-pi"),
    ("Drug Facts\nActive ingredient (in each tablet)\nIbuprofen 200 mg\nPurpose\nPain reliever\n"
     "Uses\ntemporarily relieves minor aches\nAsk a doctor before use if you have\n• stomach problems\n", "us-otc"),
    ("INSTRUCTIONS for medical use of the medicinal product\nExamplin\n\nRelease form\nTablets 10 mg.\n",
     "ru-instruction"),
    ("Examplin\n\nIt is used for headaches.\n", "ru-instruction"),  # no signal: the default
])
def test_the_family_is_detected_from_its_signals(text, family):
    assert rules.detect_family(text, "en")[0] == family
    assert read_monograph(text).family == family


def test_cyrillic_text_is_russian_and_its_headings_are_found():
    text = ("Парацетамол таблетки 500 мг\n\nПоказания к применению\nГоловная боль; зубная боль.\n\n"
            "Противопоказания\nПовышенная чувствительность к парацетамолу.\n\nУсловия хранения\n"
            "При температуре не выше 25 °C.\n")
    assert rules.detect_language(text) == "ru"
    mono = read_monograph(text)
    assert (mono.language, mono.family) == ("ru", "ru-instruction")
    assert [s.kind for s in mono.sections if s.heading] == ["indications", "contraindications", "storage"]
    assert [i.text for i in mono.contraindications] == ["Повышенная чувствительность к парацетамолу"]


def test_family_headings_win_over_common_ones():
    otc = rules.section_model("en", "us-otc")
    ru = rules.section_model("en", "ru-instruction")
    assert match_heading("Active ingredients", otc) == "composition"
    assert match_heading("Active ingredients", ru) == "inn"
    assert match_heading("PRINCIPAL DISPLAY PANEL - 30 Tablet Bottle", rules.section_model("en", "us-pi")) == "carton"


def test_run_in_headings_of_a_drug_facts_label():
    otc = rules.section_model("en", "us-otc")
    blocks, _ = segment("Drug Facts\nDo not use if you are allergic to aspirin\n"
                        "Ask a doctor or pharmacist before use if you are taking a blood thinner\n", otc)
    got = [(b.kind, b.content) for b in blocks if b.inline]
    assert got == [("contraindications", "if you are allergic to aspirin"),
                   ("interactions", "a blood thinner")]


def test_carton_and_medication_guide_text_is_not_read_as_clinical_content():
    text = ("HIGHLIGHTS OF PRESCRIBING INFORMATION\n\nFULL PRESCRIBING INFORMATION\n\n"
            "4 CONTRAINDICATIONS\nHypersensitivity to examplol.\n\n6 ADVERSE REACTIONS\nHeadache, nausea.\n\n"
            "MEDICATION GUIDE\nWhat are the possible side effects?\nDizziness, tiredness.\n\n"
            "PRINCIPAL DISPLAY PANEL - 30 Tablets\nInactive ingredients: lactose.\n")
    mono = read_monograph(text)
    effects = " ".join(u.text for u in mono.undesirable_effects)
    assert "Headache" in effects and "Dizziness" not in effects
    assert "lactose" not in [i.name for i in mono.ingredients]


def test_a_drug_facts_record_on_few_lines_reads_its_sections_and_active_strength():
    text = ("Testacaine - LIDOCAINE cream (HUMAN OTC DRUG; TOPICAL)\n\n"
            "Drug Facts Active ingredient Lidocaine, 4%\n\nPurpose Topical anesthetic\n\n"
            "Uses temporarily relieves pain and itching due to minor burns\n\n"
            "Other information store at 20⁰-25⁰C (68⁰-77⁰F)\n\n"
            "Inactive ingredients aloe, glycerin\n\n"
            "PACKAGE LABEL.PRINCIPAL DISPLAY PANEL NEW! Contains menthol, camphor, lanolin\n")
    mono = read_monograph(text)
    assert mono.family == "us-otc"
    assert [s.kind for s in mono.sections if s.heading] == [
        "composition", "pharmacotherapeutic_group", "indications", "storage", "excipients", "carton"]
    active = [i for i in mono.ingredients if i.active]
    assert [(i.name, i.amount.quantity.value, i.amount.quantity.unit) for i in active] == [("Lidocaine", 4, "%")]
    assert {i.name for i in mono.ingredients if not i.active} == {"aloe", "glycerin"}
    assert (mono.storage.temperature_low, mono.storage.temperature_high) == (20, 25)


def test_clinical_studies_keep_their_paragraphs_whatever_they_say():
    text = ("HIGHLIGHTS OF PRESCRIBING INFORMATION\n\nFULL PRESCRIBING INFORMATION\n\n2 DOSAGE AND ADMINISTRATION\n"
            "Take 10 mg once a day.\n\n14 CLINICAL STUDIES\nPatients took 40 mg once daily for 12 weeks.\n\n\n"
            "Patients were given 80 mg twice daily; nausea and headache were reported.\n\n16 HOW SUPPLIED\n"
            "Bottles of 30 tablets.\n")
    mono = read_monograph(text)
    assert [(d.dose.value, d.frequency) for d in mono.dosages] == [(10, 1)]
    assert mono.undesirable_effects == []


def test_highlights_rules_and_a_table_of_contents():
    text = ("EXAMPLOL tablets\n\nHIGHLIGHTS OF PRESCRIBING INFORMATION\n"
            "----------- CONTRAINDICATIONS -----------\n- Hypersensitivity to examplol. (4)\n\n"
            "FULL PRESCRIBING INFORMATION: CONTENTS*\n1 INDICATIONS AND USAGE\n2 DOSAGE AND ADMINISTRATION\n"
            "2.1 Adults\n4 CONTRAINDICATIONS\n17 PATIENT COUNSELING INFORMATION\n\n"
            "FULL PRESCRIBING INFORMATION\n\n1 INDICATIONS AND USAGE\nExamplol is indicated for hypertension.\n\n"
            "2 DOSAGE AND ADMINISTRATION\nTake 10 mg once daily.\n\n4 CONTRAINDICATIONS\nAngioedema.\n\n"
            "17 PATIENT COUNSELING INFORMATION\nAdvise patients to report dizziness.\n")
    mono = read_monograph(text)
    kinds = [s.kind for s in mono.sections if s.heading]
    assert kinds[:2] == ["contraindications", "toc"]
    assert kinds[-4:] == ["indications", "dosage", "contraindications", "patient_information"]
    assert [i.text for i in mono.indications] == ["Examplol is indicated for hypertension"]
    assert {c.text for c in mono.contraindications} == {"Hypersensitivity to examplol", "Angioedema"}
    assert [(d.dose.value, d.frequency) for d in mono.dosages] == [(10, 1)]
