import pytest

from fhir_adapter import read_monograph


@pytest.fixture(scope="module")
def seed(seed_text):
    return read_monograph(seed_text)


@pytest.fixture(scope="module")
def examplin(examplin_text):
    return read_monograph(examplin_text)


def texts(items):
    return [i.text for i in items]


def test_product(seed, examplin):
    p = seed.product
    assert p.name == "Cellex"
    assert (p.strength.quantity.value, p.strength.quantity.unit, p.strength.per.unit) == (0.1, "mg", "ml")
    assert p.dose_form_key == "solution-for-injection"
    assert p.routes == ["subcutaneous"]
    e = examplin.product
    assert e.registration_number == "LP-004321"
    assert e.dose_form_key == "film-coated-tablet" and e.unit_of_presentation == "tablet"
    assert e.inn == "Examplinum"


def test_composition_amounts_and_qualifiers(seed, examplin):
    by = {i.name: i for i in seed.ingredients}
    assert by["glycine"].amount.quantity.value == 3.75 and not by["glycine"].active
    assert by["purified water"].amount.quantity is None and by["purified water"].amount.qualifier == "up to 1 ml"
    assert by["0.1 M disodium hydrogen phosphate solution"].amount.qualifier == "to pH 7.8"
    active = [i for i in seed.ingredients if i.active]
    assert len(active) == 1 and active[0].name.startswith("polypeptides")
    assert "0.9-2.4" in active[0].note  # the content figure is kept beside the labelled strength
    ex = {i.name: i for i in examplin.ingredients}
    assert ex["examplin hydrochloride"].amount.per.unit == "{tablet}"
    assert ex["titanium dioxide (E171)"].note == "film coating"


def test_contraindications_split_into_items(seed):
    got = texts(seed.contraindications)
    assert got[:5] == ["Epilepsy", "manic psychosis", "productive delirium", "delirium",
                       "age under 18 years (due to insufficient clinical data)"]
    # The pregnancy section rules use out: pregnancy and breast-feeding become contraindications.
    assert "Pregnancy" in got and "Breast-feeding" in got
    age = seed.contraindications[4].population
    assert age.age_high == 18 and age.age_high_exclusive


def test_undesirable_effects_expand_lists(seed, examplin):
    assert texts(seed.undesirable_effects) == [
        "mild hyperemia at the injection site", "hypersensitivity reactions", "skin rash", "itching", "angioedema",
        "low-grade fever",
        "sleep disturbance", "headache"]
    ex = {i.text: i for i in examplin.undesirable_effects}
    assert ex["headache"].frequency == "rarely" and ex["headache"].group == "Nervous system disorders"
    assert ex["constipation"].frequency == "often"
    assert not any("1/10" in t for t in ex)  # the frequency legend is not an effect


def test_interactions(seed):
    got = [(i.interactant, i.effect[:20]) for i in seed.interactions]
    assert [g[0] for g in got] == ["psychostimulant drugs", "alcohol", "anesthetics", "tranquilizers",
                                   "antipsychotics"]


def test_warnings_strip_lead_in(seed):
    got = texts(seed.warnings_precautions)
    assert got[:3] == ["arterial hypertension of a malignant course in the decompensation stage",
                       "sympatho-adrenal crises like panic attacks", "severe anxiety and depressive disorders"]
    assert any("drive" in t for t in got)


def test_dosage(seed, examplin):
    d = seed.dosages[0]
    assert (d.dose.value, d.dose.high, d.dose.unit) == (0.1, 0.2, "mg")
    assert (d.frequency, d.period, d.period_unit) == (1, 1, "d")
    assert (d.duration.value, d.duration.unit) == (10, "d")
    assert d.route == "subcutaneous" and d.repeat and "repeat" in d.repeat
    adults, children = examplin.dosages
    assert adults.population.age_low == 18 and adults.frequency == 3
    assert (adults.duration.value, adults.duration.high) == (5, 7)
    assert children.population.age_low == 6 and children.dose.value == 125
    assert adults.max_per_day.value == 1000 and adults.route == "oral"


def test_storage_shelf_life_packaging(seed, examplin):
    st = seed.storage
    assert (st.temperature_low, st.temperature_high, st.protect_from_light) == (2, 8, True)
    assert (seed.shelf_life.value, seed.shelf_life.unit) == (2, "a")
    packs = [(p.unit_count, p.fill_volume.value, p.levels) for p in seed.presentations]
    assert packs == [(5, 1, [("box", 1), ("blister", 1), ("ampoule", 5)]),
                     (10, 1, [("box", 1), ("blister", 2), ("ampoule", 5)])]
    ex = examplin.storage
    assert ex.temperature_high == 30 and ex.temperature_low is None and ex.dry
    assert [(p.unit_count, p.units_in_innermost) for p in examplin.presentations] == [(10, 10), (20, 10)]


def test_spans_point_at_the_source(seed):
    for item in seed.contraindications[:5] + seed.undesirable_effects + seed.ingredients:
        name = getattr(item, "text", None) or item.name
        assert seed.text[item.span.start:item.span.end].lower().startswith(name.lower()[:10])


def test_unplaceable_text_gives_warnings_not_errors(seed):
    msgs = [w.message for w in seed.warnings]
    assert any("heading missing" in m for m in msgs)
    assert all(w.span is None or 0 <= w.span.start <= w.span.end <= len(seed.text) for w in seed.warnings)


@pytest.mark.parametrize("text", ["", "   \n\n", "\x00\x01\x02 garbage ::: ;;;", "Contraindications:\n\n",
                                  "A" * 5000, "1 2 3 4 5\n" * 200, "Side effects:\n(((((\n", "Dosage:\n- 5 mg ;;; x\n",
                                  "ÄÖÜ ñ 日本語 Противопоказания: беременность"])
def test_reader_never_raises(text):
    m = read_monograph(text)
    assert m.product is not None
    if not text.strip():
        assert any("empty" in w.message for w in m.warnings)
