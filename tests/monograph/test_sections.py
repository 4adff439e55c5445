import pytest

from fhir_adapter.monograph.rules import section_model
from fhir_adapter.monograph.sections import classify, match_heading, segment


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


def _smpc():
    return section_model("en", "eu-smpc")


def test_numbered_headings_run_together_in_one_paragraph_split_into_sections():
    text = ("Bronchex 100 micrograms inhaler\n\n"
            "6. Pharmaceutical particulars 6.1 List of excipients Norflurane (HFA 134a). 6.2 Incompatibilities "
            "Not applicable. 6.3 Shelf life 2 years. 6.4 Special precautions for storage Do not store above "
            "30 °C. 6.5 Nature and contents of container An aluminium canister. Packs of 1 or 2 inhalers.\n")
    blocks, _ = segment(text, _smpc())
    got = {b.kind: b.para.text for b in blocks if b.heading is None and b.kind != "title"}
    assert got["excipients"] == "Norflurane (HFA 134a)."
    assert got["incompatibilities"] == "Not applicable."
    assert got["shelf_life"] == "2 years."
    assert got["storage"] == "Do not store above 30 °C."
    assert got["packaging"].startswith("An aluminium canister")
    # the spans still point at the text they came from
    assert all(text[b.para.span.start:b.para.span.end] == b.para.text for b in blocks)


def test_section_references_and_title_case_lines_are_not_run_in_headings():
    text = ("Bronchex 100 micrograms inhaler\n\n"
            "4.3 Contraindications\n\nHypersensitivity to the excipients listed in section 6.1 List of excipients "
            "Norflurane, see section 4.4 Special warnings and precautions for use Asthma.\n\n"
            "4.2 Posology Modifications Due to Renal Impairment\n")
    blocks, _ = segment(text, _smpc())
    assert [b.kind for b in blocks if b.heading] == ["contraindications"]
    assert blocks[-1].para.text == "4.2 Posology Modifications Due to Renal Impairment"
    assert any(b.para.text.startswith("Hypersensitivity") and b.para.text.endswith("Asthma.") for b in blocks)


def test_a_joined_table_of_contents_is_not_split_into_sections():
    from fhir_adapter.monograph.sections import _split_run_together
    from fhir_adapter.monograph.text import paragraphs
    paras = paragraphs("5.1 Thrombotic Purpura 5.2 Acute Renal Failure 6 ADVERSE REACTIONS 7 DRUG INTERACTIONS "
                       "10 OVERDOSAGE 11 DESCRIPTION\n")
    assert len(_split_run_together(paras, section_model("en", "us-pi"))) == 1


def test_an_unnumbered_heading_that_runs_into_its_text_opens_its_section():
    model = section_model("en", "ru-instruction")
    text = ("Amlotenz tablets 5 mg\n\nCompound One tablet contains: amlodipine besilate 6.94 mg.\n\n"
            "DESCRIPTIONRound white tablets.\n\nShelf life 3 years.\n\n"
            "Adverse Reaction | Placebo %\n\nKeep out of reach of children. Store below 25 °C.\n")
    blocks, _ = segment(text, model)
    got = [(b.kind, b.heading, b.content) for b in blocks if b.inline]
    assert ("composition", "Compound", "One tablet contains: amlodipine besilate 6.94 mg.") in got
    assert ("appearance", "DESCRIPTION", "Round white tablets.") in got
    assert ("shelf_life", "Shelf life", "3 years.") in got
    # a table's header row and a sentence are no headings with text
    assert not any(b.heading and b.heading.startswith(("Adverse", "Keep")) for b in blocks)


def test_an_inline_heading_that_said_its_piece_does_not_hold_what_follows():
    text = ("Zeltrava tablets\n\n11 DESCRIPTION\n\nZeltrava tablets contain rosuvastatin calcium.\n"
            "Inactive ingredients: lactose monohydrate, magnesium stearate.\n"
            "Store at 20 °C to 25 °C. Protect from moisture. Keep the bottle tightly closed.\n")
    blocks, _ = segment(text, section_model("en", "us-pi"))
    store = next(b for b in blocks if b.para.text.startswith("Store"))
    assert store.kind == "storage"


def test_a_placement_the_words_do_not_support_is_a_warning_naming_its_text():
    from fhir_adapter import read_monograph
    text = ("Testamol 10 mg tablets\n\nTestamol is a medicine.\n\nHypersensitivity to testamol. Severe hepatic "
            "failure. Pregnancy.\n\nThe tablets are swallowed whole with water, 10 mg once daily.\n\n"
            "Blue lines are printed on it.\n\nStore below 25 °C. Keep out of the reach of children.\n")
    mono = read_monograph(text)
    low = [w for w in mono.warnings if w.message.startswith("low-confidence placement")]
    assert any(w.text == "Blue lines are printed on it." for w in low)
    assert not any(w.text and w.text.startswith("Store below") for w in low)
    assert all(mono.text[w.span.start:w.span.end].startswith(w.text[:20]) for w in low)
    assert any(s.kind == "storage" for s in mono.sections)


def test_a_one_line_heading_kind_holds_only_its_line():
    text = ("Valcivir 500 mg tablets\n\n5.1 ATC code:\nJ05AB11.\nStore below 25 °C. Keep out of the reach of children.\n"
            "PVC/PVDC-aluminium blisters in cartons of 10 tablets.\n")
    blocks, _ = segment(text, section_model("en", "eu-smpc"))
    kinds = {b.para.text[:12]: b.kind for b in blocks}
    assert kinds["J05AB11."] == "atc"
    assert kinds["Store below "] == "storage"
    assert kinds["PVC/PVDC-alu"] == "packaging"


def test_numbered_items_are_no_sub_headings_but_a_numbered_title_over_text_is():
    from fhir_adapter.monograph.sections import segment
    blocks, _ = segment("Testamol\n\n4 CONTRAINDICATIONS\n\n4.1 Active liver disease\n\n4.2 Hypersensitivity to any "
                        "component\n\n5 WARNINGS AND PRECAUTIONS\n\n5.1 Skeletal Muscle\nRare cases of myopathy.\n")
    labels = {b.para.text: b.label for b in blocks}
    assert labels["4.1 Active liver disease"] is False and labels["4.2 Hypersensitivity to any component"] is False
    assert labels["5.1 Skeletal Muscle"] is True


@pytest.mark.parametrize("lang, text", [
    ("en", "Adults and children over 10 years: 500 mg every 8 hours."),
    ("en", "Streptococcal tonsillitis: two 250 mg capsules three times a day for 10 days."),
    ("ru", "Взрослым назначают по 500 мг каждые 8 часов."),
])
def test_a_dose_with_its_frequency_points_at_dosing_whatever_words_surround_it(lang, text):
    model = section_model(lang, "ru-instruction")
    scores = classify(text, model)
    assert max(scores, key=scores.get) == "dosage" and scores["dosage"] >= 3


@pytest.mark.parametrize("text", [
    "Each capsule contains 500 mg of amoxicillin. Take it with water daily.",  # the sentence ends first
    "Serum levels above 5 mg/L were seen.",  # a concentration, no frequency
])
def test_an_amount_without_a_frequency_after_it_in_its_sentence_is_no_dose_entity(text):
    assert classify(text, section_model("en", "ru-instruction")).get("dosage", 0) < 3


def test_headingless_dosing_after_an_inline_caution_heading_goes_to_dosage():
    text = ("Examcillin capsules 500 mg\n\nInstructions for medical use\n\nDosage form: capsules.\n\n"
            "Hypersensitivity to penicillins.\n\nUse with caution: renal failure; a history of colitis.\n\n"
            "Orally, before or after meals.\n\nAdults: 500 mg every 8 hours.\n\n"
            "Children aged 5-10 years: 15 mg/kg every 8 hours.\n\nCommon: diarrhoea, nausea, skin rash.\n")
    blocks, _ = segment(text, section_model("en", "ru-instruction"))
    kind = {b.para.text[:8]: b.kind for b in blocks}
    assert kind["Adults: "] == "dosage" and kind["Children"] == "dosage"
    assert kind["Common: "] == "undesirable_effects"


@pytest.mark.parametrize("lang, text", [
    ("en", "20 mg/0.2 mL: packs of 2 or 10 pre-filled syringes."),
    ("en", "PVC/aluminium blisters in cartons of 28 or 56 tablets."),
    ("ru", "По 10 таблеток в контурной ячейковой упаковке из плёнки."),
])
def test_a_count_of_containers_or_units_points_at_packaging(lang, text):
    scores = classify(text, section_model(lang, "ru-instruction"))
    assert max(scores, key=scores.get) == "packaging"


@pytest.mark.parametrize("text", ["20 mg tablets: coded \"PD 156\" on one side.", "5 мг таблетки, покрытые оболочкой"])
def test_a_strength_before_the_form_is_no_count_of_a_pack(text):
    assert classify(text, section_model("en", "us-pi")).get("packaging", 0) == 0


def test_a_count_of_tablets_taken_at_a_frequency_is_a_dose_not_a_pack():
    scores = classify("Take 2 tablets 3 times a day.", section_model("en", "ru-instruction"))
    assert scores.get("packaging", 0) == 0 and scores["dosage"] >= 3


def test_a_daily_total_in_russian_is_a_dose_with_its_frequency():
    scores = classify("При клиренсе креатинина 10-30 мл/мин начальная доза 2,5 мг в сутки.",
                      section_model("ru", "ru-instruction"))
    assert max(scores, key=scores.get) == "dosage"


def test_headingless_list_of_diseases_after_a_one_line_heading_is_the_indications():
    text = ("ЭКЗАМИН таблетки 5 мг\n\nИнструкция по применению\n\n"
            "Состав: 1 таблетка содержит действующее вещество экзамин 5 мг.\n\n"
            "Фармакотерапевтическая группа: ингибитор АПФ.\n\n"
            "- артериальная гипертензия;\n- хроническая сердечная недостаточность.\n\n"
            "Противопоказания: повышенная чувствительность к экзамину.\n")
    blocks, _ = segment(text, section_model("ru", "ru-instruction"))
    assert [b.kind for b in blocks if b.para.text.startswith("- ")] == ["indications", "indications"]


def test_the_rows_of_one_table_share_the_cues_of_the_whole_table():
    from fhir_adapter.monograph.sections import _emissions
    text = ("Examstatin 10 mg tablets\n\nConcomitant use with strong inhibitors increases exposure.\n\n"
            "Cyclosporine | increases the effect of examstatin | do not co-administer\n"
            "Oral contraceptives | levels in human milk | no change\n"
            "Colchicine | exposure increased | monitor\n\n"
            "Store at 20 to 25 °C.\n")
    model = section_model("en", "us-pi")
    blocks, _ = segment(text, model)
    emits = _emissions(blocks, model)
    rows = [e for b, e in zip(blocks, emits, strict=True) if " | " in b.para.text]
    assert len(rows) == 3 and rows[0] == rows[1] == rows[2]
    assert max(rows[1], key=rows[1].get) == "interactions"  # alone, its words point at pregnancy
    assert [b.kind for b in blocks if " | " in b.para.text] == ["interactions"] * 3


def test_a_count_of_doses_a_dose_is_divided_into_is_no_pack():
    assert classify("Maximum total daily dose (in 2-3 doses) 3000 mg",
                    section_model("en", "eu-smpc")).get("packaging", 0) == 0


def test_what_follows_an_excipients_line_of_a_composition_is_placed_by_content():
    text = ("EXAMOCLIN solution for injection 5 mg/ml\n\nactive substance: examoclin hydrochloride 5 mg;\n"
            "excipients: sodium chloride 8 mg, water for injection up to 1 ml.\n\nClear colourless solution.\n\n"
            "Examoclin blocks dopamine receptors; the half-life is 5-6 hours.\n\n"
            "Adults: prevention of postoperative ileus; treatment of gastric stasis.\n\n"
            "Hypersensitivity to examoclin; epilepsy.\n")
    blocks, _ = segment(text, section_model("en", "ru-instruction"))
    kind = {b.para.text[:12]: b.kind for b in blocks}
    assert kind["Adults: prev"] == "indications" and kind["Hypersensiti"] == "contraindications"
    assert kind["Examoclin bl"] in ("pharmacodynamics", "pharmacokinetics")


def test_a_composition_line_that_goes_on_with_a_semicolon_keeps_the_next_line():
    text = ("EXAMCETAM 400 mg capsules\n\nactive substance: examcetam - 400 mg;\n"
            "excipients: lactose monohydrate - 46 mg, magnesium stearate - 4 mg;\n"
            "hard gelatin capsule: gelatin, titanium dioxide (E171).\n\nNootropic agent.\n")
    blocks, _ = segment(text, section_model("en", "ru-instruction"))
    assert next(b for b in blocks if b.para.text.startswith("hard gelatin")).kind == "excipients"


def test_a_one_paragraph_section_is_found_where_every_paragraph_is_set_off_alike():
    text = ("EXAMOXIN capsules 500 mg\n\nInstructions for medical use\n\n"
            "Examoxin is a beta-lactam antibiotic that inhibits the synthesis of the bacterial cell wall.\n\n"
            "Bacterial infections caused by susceptible microorganisms: infections of the upper respiratory "
            "tract and of the urinary tract.\n\n"
            "Hypersensitivity to examoxin or other penicillins; infectious mononucleosis; children under 3 years.\n\n"
            "Common: diarrhoea, nausea, skin rash.\n")
    blocks, _ = segment(text, section_model("en", "ru-instruction"))
    assert next(b for b in blocks if b.para.text.startswith("Bacterial")).kind == "indications"


@pytest.mark.parametrize("line", ["4.5 – Interaction with other medicinal products and other forms of interaction",
                                  "4.5 - Interaction with other medicinal products", "4.5. — Interaction with other "
                                  "medicinal products and other forms of interaction"])
def test_a_dash_between_a_heading_number_and_its_words(line):
    assert match_heading(line, section_model("en", "eu-smpc")) == "interactions"


def test_an_smpc_interaction_table_without_its_heading_goes_to_interactions():
    text = ("Examycin 250 mg/5 mL granules for oral suspension\n\nExamycin is indicated for the treatment of "
            "pharyngitis.\n\n7.5 mg/kg twice daily for 10 days.\n\nHypersensitivity to examycin.\n\n"
            "QT prolongation: caution in patients with cardiac disease.\n\n"
            "Medicinal product | Effect | Recommendation\n"
            "Colchicine | Increased colchicine exposure | Avoid\n"
            "Digoxin | Increased digoxin concentration | Monitor serum digoxin\n"
            "Warfarin | Increased INR | Monitor INR frequently\n"
            "Zidovudine | Reduced zidovudine absorption | Separate doses by 4 hours\n\n"
            "Dizziness and vertigo may occur; patients should not drive.\n")
    blocks, _ = segment(text, section_model("en", "eu-smpc"))
    assert [b.kind for b in blocks if " | " in b.para.text][1:] == ["interactions"] * 4


def test_a_drug_facts_label_pasted_on_one_line_is_parted_at_its_run_in_headings():
    from fhir_adapter import read_monograph
    text = ("TESTAMOL PAIN RELIEF- testamol sodium tablet\n\n"
            "Drug Facts Active ingredient (in each tablet) Testamol sodium 220 mg Purpose Pain reliever Uses "
            "• temporarily relieves minor aches and pains due to: • headache • toothache Warnings Allergy alert: "
            "testamol may cause a severe allergic reaction (especially in people allergic to aspirin) Do not use "
            "• right before or after heart surgery Directions • adults: take 1 tablet every 8 to 12 hours while "
            "symptoms last Other information • store at 20-25°C Inactive ingredients hypromellose, talc\n")
    m = read_monograph(text)
    assert m.family == "us-otc"
    assert [i.name for i in m.ingredients] == ["Testamol sodium", "hypromellose", "talc"], m.ingredients
    assert any("headache" in i.text for i in m.indications)
    assert any("heart surgery" in c.text for c in m.contraindications)
    assert [(d.dose.value, d.period) for d in m.dosages if d.dose] == [(1, 8)]
    # a sentence that names a heading once is no label pasted on one line
    from fhir_adapter.monograph.sections import _split_run_in, section_model
    from fhir_adapter.monograph.text import paragraphs
    one = "x " * 120 + "Uses of this product are many; read the Directions before use."
    assert len(_split_run_in(paragraphs(one), section_model("en", "us-otc"))) == 1


def test_dot_leaders_part_the_cells_of_a_drug_facts_row_and_a_pharmacopoeia_mark_is_no_ingredient():
    from fhir_adapter import read_monograph
    m = read_monograph("TESTAMOL 4 HOUR- testamol maleate tablet\n\nDrug Facts\n\n"
                       "Active ingredient (in each tablet)          Purpose\n"
                       "Testamol maleate, USP 4 mg ........ Antihistamine\n\nUses\ntemporarily relieves sneezing\n")
    got = [(i.name, i.active, i.amount and i.amount.quantity.value) for i in m.ingredients]
    assert got == [("Testamol maleate", True, 4)], got


@pytest.mark.parametrize("line", ["Section 2 - QUALITATIVE AND QUANTITATIVE COMPOSITION", "4.1) Therapeutic indications",
                                  "(4.1) Therapeutic indications", "4 - Clinical particulars"])
def test_a_heading_number_with_a_word_a_bracket_or_a_dash_before_it(line):
    kind = match_heading(line, section_model("en", "eu-smpc"))
    assert kind is not None and kind != "name", (line, kind)
    if "4.1" in line:
        assert kind == "indications"


def test_an_unnumbered_heading_between_two_numbered_sections_is_a_label_of_the_first():
    text = ("Examycin 250 mg film-coated tablets\n\n4.8 Undesirable effects\n\n"
            "Summary of the safety profile: headache and nausea were the most common.\n\n"
            "Clinical studies\n\nIn clinical studies, dizziness was reported by 2% of patients.\n\n"
            "4.9 Overdose\n\nSymptoms of overdose are drowsiness.\n")
    blocks, _ = segment(text, section_model("en", "eu-smpc"))
    got = {b.para.text[:16]: b.kind for b in blocks}
    assert got["In clinical stud"] == "undesirable_effects", got
    assert got["Symptoms of over"] == "overdose", got
