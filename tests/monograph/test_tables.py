"""Tables flattened into text: rows become items, column heads and captions do not."""
from fhir_adapter import read_monograph

HEAD = "Testamol 10 mg tablets\n\n"


def effects(body: str):
    mono = read_monograph(HEAD + "Side effects\n" + body)
    return [(u.text, u.group, u.frequency) for u in mono.undesirable_effects]


def test_rows_with_figures_give_their_first_cell_and_the_heads_nothing():
    got = effects("Table 2. Adverse reactions in trials\n"
                  "Reaction            Testamol   Placebo\n"
                  "Headache            12%        7%\n"
                  "Nausea              5.5%       2.0%\n")
    assert [t for t, _, _ in got] == ["Headache", "Nausea"]


def test_soc_frequency_rows_give_grouped_effects_with_their_frequency():
    got = effects("System organ class | Frequency | Adverse reaction\n"
                  "Gastrointestinal disorders | Common | Nausea, vomiting | Uncommon | Pancreatitis\n"
                  "Nervous system disorders | Very common | Headache\n")
    assert got == [("Nausea", "Gastrointestinal disorders", "Common"),
                   ("vomiting", "Gastrointestinal disorders", "Common"),
                   ("Pancreatitis", "Gastrointestinal disorders", "Uncommon"),
                   ("Headache", "Nervous system disorders", "Very common")]


def test_a_category_label_with_its_ratio_is_no_legend():
    got = effects("Frequencies: very common (>=1/10); common (>=1/100 to <1/10); rare (>=1/10,000 to <1/1,000).\n"
                  "Common (1/100 to less than 1/10): headache, dizziness.\n")
    assert [(t, f) for t, _, f in got] == [("headache", "Common"), ("dizziness", "Common")]


def test_one_item_per_line_lists_are_items_not_sub_headings():
    mono = read_monograph(HEAD + "6.1 List of excipients\nMicrocrystalline cellulose\nCroscarmellose sodium\n"
                                 "Magnesium stearate\n\n6.2 Incompatibilities\nNot applicable.\n")
    assert [i.name for i in mono.ingredients if not i.active] == [
        "Microcrystalline cellulose", "Croscarmellose sodium", "Magnesium stearate"]


def test_how_supplied_rows_are_packs():
    mono = read_monograph(HEAD + "HOW SUPPLIED\nBottles of 30     NDC 12345-678-30\nBottles of 90     NDC 12345-678-90\n")
    assert sorted(p.unit_count for p in mono.presentations) == [30, 90]
