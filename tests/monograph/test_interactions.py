"""Interactants of every shape: table rows, a recommendation leading a list, and other languages'
sentences read through their vocabularies."""
from fhir_adapter.monograph.clinical import interactions_of
from fhir_adapter.monograph.sections import Block
from fhir_adapter.monograph.text import paragraphs


def interactants(text, names=("Testamol",)):
    blocks = [Block(p, kind="interactions", content=p.text, content_start=p.span.start) for p in paragraphs(text)]
    return [(i.interactant, i.effect) for i in interactions_of(blocks, list(names))]


def test_table_rows_name_their_interactants_in_the_first_cell():
    got = interactants("Medicinal product | Effect | Recommendation\n"
                       "Colchicine | Increased colchicine exposure | Contraindicated\n"
                       "Simvastatin, lovastatin | Rhabdomyolysis | Contraindicated\n")
    assert got == [("Colchicine", "Increased colchicine exposure | Contraindicated"),
                   ("Simvastatin", "Rhabdomyolysis | Contraindicated"), ("lovastatin", "Rhabdomyolysis | Contraindicated")]


def test_a_recommendation_leads_a_list_whose_last_clause_is_the_effect():
    got = interactants("Concomitant use not recommended: systemic salicylates, acetylsalicylic acid at "
                       "anti-inflammatory doses and other NSAIDs including ketorolac, all of which increase the risk "
                       "of bleeding.")
    names = [x for x, _ in got]
    assert names == ["systemic salicylates", "acetylsalicylic acid at anti-inflammatory doses", "other NSAIDs", "ketorolac"]
    assert all("bleeding" in e for _, e in got)


def test_members_in_brackets_count_and_an_effect_in_brackets_does_not():
    got = interactants("Use with care: platelet aggregation inhibitors (clopidogrel, ticlopidine) and systemic "
                       "glucocorticoids (increased bleeding risk); medicinal products that increase serum potassium "
                       "(ACE inhibitors, potassium salts), with monitoring of potassium.")
    assert [x for x, _ in got] == ["clopidogrel", "ticlopidine", "platelet aggregation inhibitors",
                                   "systemic glucocorticoids", "ACE inhibitors", "potassium salts"]


def test_russian_subject_of_an_effect_verb_and_what_the_drug_is_used_with():
    got = interactants("Калийсберегающие диуретики (спиронолактон, амилорид) и препараты калия повышают риск "
                       "гиперкалиемии. При длительном совместном применении с варфарином усиливается "
                       "антикоагулянтный эффект.", names=("Эналаприл",))
    names = [x for x, _ in got]
    assert names[:4] == ["спиронолактон", "амилорид", "Калийсберегающие диуретики", "препараты калия"]
    assert "варфарином" in names


def test_drug_facts_items_name_what_the_user_takes():
    text = "- taking a diuretic\n- taking aspirin for heart attack or stroke, because it may decrease this benefit\n"
    blocks = [Block(p, kind="interactions", content=p.text, content_start=p.span.start) for p in paragraphs(text)]
    got = [(i.interactant, i.effect) for i in interactions_of(blocks, ["Braxin", "ibuprofen"])]
    assert [x for x, _ in got] == ["diuretic", "aspirin"]
    assert "decrease this benefit" in got[1][1]


def test_examples_in_brackets_are_interactants_and_a_generic_head_is_not():
    got = [x for x, _ in interactants(
        "Concomitant administration of Testamol with inducers of CYP3A4 (e.g., efavirenz, rifampin) can lead "
        "to reduced plasma concentrations of testamol.")]
    assert got == ["inducers of CYP3A4", "efavirenz", "rifampin"], got
    got = [x for x, _ in interactants(
        "Concomitant use with medicinal products with hyperglycaemic activity (e.g. glucocorticoids given "
        "systemically or locally, sympathomimetics) requires more frequent glucose monitoring.")]
    assert "glucocorticoids given systemically" in got and "sympathomimetics" in got, got
    assert not any(x.lower().startswith("medicinal products") or x == "locally" for x in got), got


def test_words_of_the_sentence_are_no_interactants():
    got = [x for x, _ in interactants(
        "In patients taking lopinavir plus ritonavir, Testamol should be used with caution [see Warnings (5.1)] "
        "and the lowest dose necessary employed. Grapefruit juice contains one or more components that "
        "inhibit CYP 3A4.")]
    assert not any(x.lower().startswith(("caution", "lowest", "contains")) or x.endswith("that") for x in got), got


def test_russian_product_as_subject_acts_on_the_medicines_named_after_it():
    from fhir_adapter import read_monograph
    text = ("Тестамол таблетки 10 мг\n\nВзаимодействие с другими лекарственными средствами\n"
            "Тестамол усиливает действие гипотензивных средств, этанола и барбитуратов. "
            "Препарат ослабляет эффект леводопы.\n")
    got = [i.interactant for i in read_monograph(text).interactions]
    assert got == ["гипотензивных средств", "этанола", "барбитуратов", "леводопы"], got
