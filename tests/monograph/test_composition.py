"""Composition sentences of every shape, read sentence by sentence."""
from fhir_adapter.monograph.composition import read_composition
from fhir_adapter.monograph.sections import Block
from fhir_adapter.monograph.text import paragraphs


def ingredients(text):
    blocks = [Block(p, kind="composition", content=p.text, content_start=p.span.start) for p in paragraphs(text)]
    return [(i.name, i.active, i.amount and i.amount.quantity and (i.amount.quantity.value, i.amount.quantity.unit),
             i.amount and i.amount.per and (i.amount.per.value, i.amount.per.unit), i.note)
            for i in read_composition(blocks, None)]


def test_a_strength_label_and_a_volume_of_the_unit_lead_the_sentence():
    got = ingredients("Immulora 40 mg: each 0.4 mL single-dose pre-filled pen contains 40 mg of adalimumab. "
                      "Adalimumab is a recombinant human monoclonal antibody produced in hamster ovary cells.")
    assert got == [("adalimumab", True, (40, "mg"), (0.4, "ml"), None)]


def test_after_reconstitution_and_each_5_ml_of_suspension():
    got = ingredients("Claritrex 125 mg/5 mL: after reconstitution, each 5 mL of oral suspension contains 125 mg "
                      "clarithromycin.")
    assert got == [("clarithromycin", True, (125, "mg"), (5, "ml"), None)]


def test_nominal_content_per_vial_and_another_name_of_the_substance():
    got = ingredients("Factovex 250 IU: each vial contains nominally 250 IU human coagulation factor VIII (rDNA), "
                      "octocog alfa. After reconstitution with 5 mL of solvent the solution contains approximately "
                      "50 IU/mL. The specific activity is approximately 4,000 IU/mg protein.")
    assert got == [("human coagulation factor VIII", True, (250, "[iU]"), (1, "{vial}"), "rDNA; also named octocog alfa")]


def test_a_metered_dose_and_the_moiety_in_brackets():
    got = ingredients("Each metered dose (ex-valve) contains 100 micrograms of salbutamol (as salbutamol sulfate). "
                      "For the full list of excipients, see section 6.1.")
    assert got == [("salbutamol", True, (100, "ug"), (1, "{dose}"), "as salbutamol sulfate")]


def test_several_strengths_in_one_line_each_unit_said():
    got = ingredients("Each tablet contains 1.25 mg, 2.5 mg, 5 mg or 10 mg of ramipril.")
    assert got == [("ramipril", True, (1.25, "mg"), (1, "{tablet}"), "also 2.5, 5, 10 mg")]


def test_roles_change_inside_one_sentence():
    got = ingredients("One tablet contains: active substance: drotaverine hydrochloride - 40 mg; excipients: "
                      "lactose monohydrate - 52 mg, talc - 4 mg.")
    assert [(n, a, q) for n, a, q, _p, _n in got] == [("drotaverine hydrochloride", True, (40, "mg")),
                                                     ("lactose monohydrate", False, (52, "mg")), ("talc", False, (4, "mg"))]


def test_russian_roles_without_a_colon_and_an_excipient_of_some_strengths_only():
    got = ingredients("1 таблетка содержит действующее вещество эналаприла малеат 5 мг, 10 мг или 20 мг; "
                      "вспомогательные вещества: лактозы моногидрат, магния стеарат; для таблеток 10 мг и 20 мг - "
                      "краситель железа оксид красный (E172).")
    assert got[0] == ("эналаприла малеат", True, (5, "mg"), (1, "{tablet}"), "also 10, 20 mg")
    assert [(n, a) for n, a, *_ in got[1:]] == [("лактозы моногидрат", False), ("магния стеарат", False),
                                                ("краситель железа оксид красный (E172)", False)]
    assert got[-1][4] == "для таблеток 10 мг и 20 мг"


def test_prose_and_packs_in_a_composition_section_name_no_ingredient():
    assert ingredients("Enoxaparin sodium is a biological substance obtained by depolymerisation of heparin.") == []
    assert ingredients("NDC 71234-105-30 bottles of 30") == []
    assert ingredients("The elimination half-life is about 19 hours.") == []
    # ...but a line that names a substance and its amount is one
    assert ingredients("Enoxaparin sodium 100 mg/mL (equivalent to 10,000 IU anti-Xa activity per mL).")[0][:2] == \
        ("Enoxaparin sodium", True)


def test_a_unit_given_on_its_own_line_holds_for_the_lines_under_it():
    got = ingredients("Each tablet contains:\n- metformin hydrochloride 500 mg\n- povidone 20 mg\n")
    assert [(n, p) for n, _a, _q, p, _n in got] == [("metformin hydrochloride", (1, "{tablet}")), ("povidone", (1, "{tablet}"))]
    assert ingredients("The powder contains no excipients.") == []


def test_a_volume_unit_then_amountless_names_are_the_excipients():
    got = ingredients("Each 0.8 mL contains 40 mg adalimumab, L-histidine, sucrose, polysorbate 80 and water for "
                      "injection.")
    assert [(n, a) for n, a, *_ in got] == [("adalimumab", True), ("L-histidine", False), ("sucrose", False),
                                            ("polysorbate 80", False), ("water for injection", False)]
    assert got[0][3] == (0.8, "ml")


def test_clauses_with_their_own_verb_say_where_an_excipient_is():
    got = ingredients("Inactive ingredients: lactose. The capsule shell contains gelatin and titanium dioxide; the "
                      "300 mg and 400 mg shells also contain yellow iron oxide, and the 400 mg shell contains red iron oxide.")
    assert [(n, a, note) for n, a, _q, _p, note in got] == [
        ("lactose", False, None), ("gelatin", False, "in the capsule shell"),
        ("titanium dioxide", False, "in the capsule shell"),
        ("yellow iron oxide", False, "in the 300 mg and 400 mg shells"), ("red iron oxide", False, "in the 400 mg shell")]


def test_an_active_named_on_the_way_and_a_strength_stated_as_an_equivalent():
    got = ingredients("AMVELTA tablets are formulated as white tablets equivalent to 2.5 mg, 5 mg and 10 mg of "
                      "amlodipine. In addition to the active ingredient, amlodipine besylate, each tablet contains "
                      "the following inactive ingredients: microcrystalline cellulose and magnesium stearate.")
    assert got[0] == ("amlodipine", True, (2.5, "mg"), (1, "{tablet}"), "also 5, 10 mg")
    assert [(n, a) for n, a, *_ in got[1:]] == [("amlodipine besylate", True), ("microcrystalline cellulose", False),
                                                ("magnesium stearate", False)]


def test_drug_facts_table_reads_the_ingredient_column_and_its_unit():
    got = ingredients("Active ingredient (in each tablet) | Purpose\nIbuprofen USP, 200 mg (NSAID)* | Pain reliever\n"
                      "*nonsteroidal anti-inflammatory drug\n")
    # (the pharmacopoeia mark "USP" is no part of the name)
    assert got == [("Ibuprofen", True, (200, "mg"), (1, "{tablet}"), None)]


def test_drug_facts_purposes_are_read_from_their_column():
    from fhir_adapter.monograph.composition import purposes
    text = "Active ingredients (in each caplet) | Purposes\nAcetaminophen 500 mg | Pain reliever\nDiphenhydramine HCl 25 mg | Nighttime sleep aid\n"
    blocks = [Block(p, kind="composition", content=p.text, content_start=p.span.start) for p in paragraphs(text)]
    got = purposes(blocks)
    assert [t for t, _ in got] == ["Pain reliever", "Nighttime sleep aid"]
    assert all(text[o:o + len(t)] == t for t, o in got)


def test_a_strength_said_with_equivalent_to_and_the_inactive_ingredients_after_it():
    from fhir_adapter import read_monograph
    m = read_monograph("TESTAMOL (testamol) tablets\n\n11 DESCRIPTION\nTESTAMOL is supplied as scored tablets "
                       "containing testamol hydrochloride equivalent to 25 mg, 50 mg, and 100 mg of testamol and the "
                       "following inactive ingredients: lactose, magnesium stearate, and titanium dioxide.\n")
    got = [(i.name, i.active) for i in m.ingredients]
    assert got == [("testamol", True), ("lactose", False), ("magnesium stearate", False), ("titanium dioxide", False)], got
