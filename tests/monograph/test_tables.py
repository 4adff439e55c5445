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


def _cells(*cells: str) -> str:
    """A table pasted from a web page one cell at a time, a '|' line before each cell."""
    return "".join(f"|\n{c}\n" for c in cells)


ONE_CELL_PER_LINE = _cells(
    "System Organ Class", "Common ≥ 1/100 to < 1/10", "Uncommon", "Rare",
    "Metabolism and nutrition disorders", "Decreased appetite", "", "Hyponatraemia\n\nHypoglycaemia",
    "Neoplasms benign, malignant and unspecified (including cysts and polyps)", "", "Skin papilloma", "",
    "Skin and subcutaneous tissue disorders", "Rash (including macular,\n\npapular rash)", "Pruritus", "",
) + "\nOverdose\nNo case of overdose has been reported.\n"


def test_a_table_pasted_one_cell_per_line_is_read_by_its_frequency_columns():
    text = HEAD + "Side effects\n" + ONE_CELL_PER_LINE
    mono = read_monograph(text)
    got = [(u.text, u.group, u.frequency) for u in mono.undesirable_effects]
    assert got == [
        ("Decreased appetite", "Metabolism and nutrition disorders", "Common"),
        ("Hyponatraemia", "Metabolism and nutrition disorders", "Rare"),
        ("Hypoglycaemia", "Metabolism and nutrition disorders", "Rare"),
        ("Skin papilloma", "Neoplasms benign, malignant and unspecified (including cysts and polyps)", "Uncommon"),
        ("Rash (including macular, papular rash)", "Skin and subcutaneous tissue disorders", "Common"),
        ("Pruritus", "Skin and subcutaneous tissue disorders", "Uncommon"),
    ], got
    # spans still point at the words in the text as given
    u = mono.undesirable_effects[1]
    assert text[u.span.start:u.span.end] == "Hyponatraemia"
    assert mono.text == text


def test_a_one_cell_per_line_table_without_frequency_columns_is_left_as_it_is():
    from fhir_adapter.monograph.normalise import normalise
    table = _cells("Medicinal product", "Effect", "Recommendation", "Warfarin", "INR increased",
                   "Monitor INR", "Digoxin", "Levels raised", "Monitor levels")
    assert "frequency table rebuilt" not in normalise(table).changes


def test_rows_that_lose_their_label_column_leave_the_table_as_it_is():
    from fhir_adapter.monograph.normalise import normalise
    # three columns by the head, but the rows' first cells are empty: the cells were not pasted
    # row by row, and no column can be told
    table = _cells("", "Common", "Rare", "Headache", "Tremor", "", "", "Nausea", "Rash", "", "Fever", "Cough")
    assert "frequency table rebuilt" not in normalise(table + "\n").changes
    rows = _cells("", "Common", "Rare", "Nervous system disorders", "Headache", "Tremor",
                  "Eye disorders", "", "Blurred vision")
    assert normalise(rows + "\n").changes["frequency table rebuilt"] == 1
