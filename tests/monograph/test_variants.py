"""Wordings and layouts other than the seed's: each test is a way real instructions differ."""
import pytest

from fhir_adapter import read_monograph
from fhir_adapter.monograph.text import paragraphs

from ..conftest import FIXTURES


@pytest.fixture(scope="module")
def normaxin():
    return read_monograph((FIXTURES / "normaxin.txt").read_text())


def test_title_name_stops_at_the_dose_form(normaxin):
    assert normaxin.product.name == "Normaxin"
    assert normaxin.product.inn == "amlodipine"  # "Trade name:" is not the INN


def test_role_lines_inside_composition(normaxin):
    roles = [(i.name, i.active) for i in normaxin.ingredients]
    assert roles[0] == ("amlodipine besilate", True)
    assert ("magnesium stearate", False) in roles and len(roles) == 5
    assert not any("could not be placed" in w.message for w in normaxin.warnings)


def test_frequency_labels_and_lead_words(normaxin):
    freq = {i.text: i.frequency for i in normaxin.undesirable_effects}
    assert freq["headache"] == "Often" and freq["gingival hyperplasia"] == "Rarely"


def test_interactants_in_subject_position(normaxin):
    got = [i.interactant for i in normaxin.interactions]
    assert got == ["Inhibitors of the CYP3A4 isoenzyme (ketoconazole, itraconazole, ritonavir)",
                   "Thiazide diuretics", "beta-blockers", "ACE inhibitors", "Grapefruit juice"]


def test_dosage_inside_means_oral_and_maximum_is_a_cap(normaxin):
    assert [d.dose.value for d in normaxin.dosages] == [5, 2.5]
    assert all(d.route == "oral" and d.frequency == 1 for d in normaxin.dosages)
    assert normaxin.dosages[0].max_per_day.value == 10
    assert normaxin.dosages[1].population.state == "elderly"


def test_shelf_life_in_months_and_warnings_keep_their_commas(normaxin):
    assert (normaxin.shelf_life.value, normaxin.shelf_life.unit) == (24, "mo")
    warnings = [w.text for w in normaxin.warnings_precautions]
    assert "Care should be taken when driving, as dizziness may occur" in warnings
    assert [p.unit_count for p in normaxin.presentations] == [30]


def test_word_numbers_in_shelf_life():
    m = read_monograph("X 5 mg tablets\n\nShelf life\nThree years.\n")
    assert (m.shelf_life.value, m.shelf_life.unit) == (3, "a")


def test_qualifying_pieces_stay_with_their_item():
    m = read_monograph("X 5 mg tablets\n\nContraindications\nActive infection, including chronic or localized "
                       "infections; sepsis.\n")
    assert [c.text for c in m.contraindications] == ["Active infection, including chronic or localized infections",
                                                     "sepsis"]


def test_labels_name_interactants():
    text = ("X 5 mg tablets\n\nDrug interactions\n\nWarfarin\n\nNo clinically significant effect was found.\n\n"
            "Absence of interaction\n\nNo interactions were observed during the simultaneous use of X with "
            "glucocorticosteroids, salicylates (except sulfasalazine), analgesics or methotrexate.\n")
    got = [i.interactant for i in read_monograph(text).interactions]
    assert got == ["Warfarin", "glucocorticosteroids", "salicylates (except sulfasalazine)", "analgesics",
                   "methotrexate"]


def test_wrapped_lines_and_flattened_tables_join():
    text = ("Serious adverse reactions have also been reported during the use of\nEnbrel.\n\n"
            "Infections (including bronchitis,\ncystitis, skin\n\ninfections)*\n\n|\n|\n\nTuberculosis\n\n"
            "non-steroidal anti-\ninflammatory drugs")
    got = [p.text for p in paragraphs(text)]
    assert got == ["Serious adverse reactions have also been reported during the use of Enbrel.",
                   "Infections (including bronchitis, cystitis, skin infections)*", "Tuberculosis",
                   "non-steroidal anti-inflammatory drugs"]


def test_effect_lists_after_a_lead_in():
    m = read_monograph("X 5 mg tablets\n\nSide effects\nThe most commonly reported adverse reactions are injection "
                       "site reactions (such as pain, swelling, itching), infections and headache.\n"
                       "Within the organ system classes, adverse reactions are listed under headings of frequency.\n"
                       "(cannot be estimated from available data)\n")
    got = [i.text for i in m.undesirable_effects]
    assert got == ["injection site reactions", "pain", "swelling", "itching", "infections", "headache"]


def test_populations_by_age_and_body_weight():
    from fhir_adapter.monograph.clinical import population_of

    p = population_of("adolescents aged 12 years and older with a body weight of more than 62.5 kg")
    assert (p.age_low, p.weight_low) == (12, 62.5)
    p = population_of("Patients aged under 12 years with a body weight of less than 62.5 kg")
    assert (p.age_high, p.age_high_exclusive, p.weight_high) == (12, True, 62.5)
    assert population_of("25 mg/kg body weight") is None


@pytest.fixture(scope="module")
def lostex():
    return read_monograph((FIXTURES / "lostex.txt").read_text())


def test_many_lost_headings_are_all_placed(lostex):
    kinds = [s.kind for s in lostex.sections]
    for k in ("pharmacodynamics", "indications", "contraindications", "undesirable_effects", "interactions",
              "storage"):
        assert k in kinds
    assert [s.kind for s in lostex.sections if s.inferred] == [
        "description", "pharmacodynamics", "indications", "contraindications", "undesirable_effects",
        "interactions", "storage"]


def test_lostex_facts(lostex):
    p = lostex.product
    assert (p.strength.quantity.value, p.strength.per.value, p.strength.per.unit) == (100, 2, "ml")
    assert [i.text for i in lostex.indications][-1] == "polyneuropathy of various origins, as part of complex therapy"
    assert ("anaphylactic shock", "In isolated cases") in [(i.text, i.frequency) for i in lostex.undesirable_effects]
    assert [i.interactant for i in lostex.interactions] == ["levodopa"]
    second = lostex.dosages[1]
    assert (second.frequency, second.frequency_max, second.period_unit) == (2, 3, "wk")
    assert (lostex.storage.temperature_low, lostex.storage.temperature_high) == (8, 15)
    # no packaging section: the title's "2 ml ampoule 10 pcs." makes the pack
    pack = lostex.presentations[0]
    assert (pack.unit_count, pack.unit, pack.fill_volume.value) == (10, "ampoule", 2)


def test_dropsin_headings_closed_by_full_stops_and_drops():
    m = read_monograph((FIXTURES / "dropsin.txt").read_text())
    p = m.product
    assert (p.name, p.dose_form_key, p.total_volume.value) == ("Dropsin", "oral-drops", 30)
    assert [c.text for c in m.classifications] == ["Sedative agent"]
    assert [(i.name, i.active) for i in m.ingredients] == [("valerian root extract", True), ("ethanol 70%", False)]
    assert m.ingredients[1].amount.qualifier == "up to 1 ml"  # 70% names the excipient, it is no amount
    assert [(i.text, i.frequency) for i in m.undesirable_effects][:2] == [("drowsiness", "rarely"),
                                                                          ("decreased performance", "rarely")]
    adult = m.dosages[0]
    assert (adult.dose.value, adult.dose.high, adult.dose.unit, adult.frequency, adult.frequency_max) == (
        20, 30, "[drp]", 3, 4)
    assert (adult.duration.value, adult.duration.high, adult.duration.unit) == (2, 3, "wk")  # from the next sentence
    assert (m.storage.temperature_low, m.storage.temperature_high, m.shelf_life.value) == (15, 25, 5)
    assert [(pr.unit, pr.unit_count, pr.fill_volume.value) for pr in m.presentations] == [("bottle", 1, 30)]


def test_clauses_are_not_list_items():
    m = read_monograph("X 5 mg tablets\n\nIndications\nTreatment of adults with moderate psoriasis, who have "
                       "contraindications to other systemic treatments, including methotrexate or PUVA therapy.\n")
    assert len(m.indications) == 1 and m.indications[0].text.endswith("PUVA therapy")


def test_leaflet_boilerplate_is_not_the_title_and_roles_stated_midway():
    text = ("These highlights do not include all the information needed to use EXAMPLOR safely.\n"
            "EXAMPLOR (examplorin) Tablets for oral use\n\n11 DESCRIPTION\n"
            "Each tablet contains 10 mg examplorin and the following inactive ingredients: calcium carbonate, USP; "
            "lactose monohydrate, NF.\n")
    m = read_monograph(text)
    assert m.product.name.startswith("EXAMPLOR")
    assert [(i.name, i.active) for i in m.ingredients] == [
        ("examplorin", True), ("calcium carbonate", False), ("lactose monohydrate", False)]


def test_role_label_on_its_own_line():
    text = ("X 2.5 mg tablets\n\nComposition\nEach tablet contains 2.5 mg examplin.\n\nExcipient(s) with known effect\n\n"
            "Lactose monohydrate - 66 mg per tablet\n")
    m = read_monograph(text)
    assert [(i.name, i.active) for i in m.ingredients] == [("examplin", True), ("Lactose monohydrate", False)]


def test_several_strengths_on_one_label():
    text = ("EXAMPLOR tablets\n\n11 DESCRIPTION\nEXAMPLOR Tablets for oral administration contain 10, 20, 40, or 80 mg "
            "examplorin and the following inactive ingredients: calcium carbonate, USP.\n")
    m = read_monograph(text)
    first = m.ingredients[0]
    assert (first.name, first.amount.quantity.value, first.note) == ("examplorin", 10, "also 20, 40, 80 mg")
    assert m.text[first.span.start:first.span.end].startswith("10, 20, 40")  # the span still points at the source


def test_smpc_interaction_heads_and_dashes():
    text = ("X 5 mg tablets\n\n4.5 Interaction with other medicinal products\n\nAvoid concomitant use\n\n"
            "Antipsychotics – increased risk of agranulocytosis with olanzapine.\n\n"
            "Alcohol: alcohol intoxication increases the risk of lactic acidosis.\n\n"
            "Organic cation transporters: OCT1 inhibitors (such as verapamil) may reduce the efficacy of X; "
            "OCT1 inducers (such as rifampicin) may increase its absorption.\n\n"
            "Antibacterials\n\n• Ciprofloxacin – excretion possibly reduced.\n\n• Doxycycline – increased toxicity.\n")
    got = [i.interactant for i in read_monograph(text).interactions]
    # a class with its examples in brackets: the class and each example
    assert got[:6] == ["Antipsychotics", "Alcohol", "OCT1 inhibitors", "verapamil", "OCT1 inducers", "rifampicin"], got
    assert got.count("Antibacterials") == 1 and {"Ciprofloxacin", "Doxycycline"} <= set(got)


def test_ointment_regimen_without_an_amount_and_mass_fill():
    m = read_monograph((FIXTURES / "ointex.txt").read_text())
    assert m.product.routes == ["topical"] and m.product.dose_form_key == "ointment"
    active = m.ingredients[0]
    assert (active.name, active.amount.quantity.value, active.amount.quantity.unit, active.amount.per.value,
            active.amount.per.unit) == ("mometasone furoate", 0.1, "g", 100, "g")
    d = m.dosages[0]
    assert (d.dose, d.frequency, d.period_unit, d.duration.value, d.duration.unit, d.route) == (
        None, 1, "d", 3, "wk", "topical")
    pack = m.presentations[0]
    assert (pack.unit, pack.fill_volume.value, pack.fill_volume.unit) == ("tube", 30, "g")
    assert not any("no regimen" in w.message for w in m.warnings)
