"""The packaging reader: which container holds how many of what, in wordings of every shape."""
import pytest

from fhir_adapter.monograph.model import Quantity
from fhir_adapter.monograph.packaging import read_packaging
from fhir_adapter.monograph.sections import Block
from fhir_adapter.monograph.text import paragraphs


def packs(text, unit=None):
    """Each presentation as (levels outermost first, units in all, unit, fill volume, strength)."""
    blocks = [Block(p, content=p.text, content_start=p.span.start) for p in paragraphs(text)]
    _levels, pres = read_packaging(blocks, unit)
    return [(p.levels, p.unit_count, p.unit, p.fill_volume and (p.fill_volume.value, p.fill_volume.unit),
             p.strength and p.strength.value) for p in pres]


@pytest.mark.parametrize("text, unit, want", [
    ("The product is supplied in amber glass bottles containing 30 or 90 tablets.", "tablet",
     [([("bottle", 1)], 30, "tablet", None, None), ([("bottle", 1)], 90, "tablet", None, None)]),
    ("Each box contains 3 blister strips of 10 capsules.", "capsule",
     [([("box", 1), ("blister", 3)], 30, "capsule", None, None)]),
    ("Supplied as 2 mL single-dose vials in cartons of 10.", "vial", [([("box", 1)], 10, "vial", (2, "ml"), None)]),
    ("Boxes of 5 ampoules of 2 ml.", "ampoule", [([("box", 1)], 5, "ampoule", (2, "ml"), None)]),
    ("Tubes of 15 g or 30 g.", None, [([("tube", 1)], 1, "tube", (15, "g"), None), ([("tube", 1)], 1, "tube", (30, "g"), None)]),
    ("Blister packs of 7 x 4 tablets (28 tablets).", "tablet", [([("blister", 1)], 28, "tablet", None, None)]),
    # "unit dose" names the kind of blister, it counts nothing; "10 x 10 blisters" is ten of ten
    ("NDC 12345-678-40 10 × 10 unit dose blisters", "tablet", [([("pack", 1), ("blister", 10)], 100, "tablet", None, None)]),
    ("3 blister strips of 10 capsules", "capsule", [([("pack", 1), ("blister", 3)], 30, "capsule", None, None)]),
    ("100 mcg/dose: a 10 mL bottle with a pump delivering 60 doses.", None,
     [([("bottle", 1)], 60, "actuation", (10, "ml"), 100)]),
    # an accessory's size is no fill; what is in brackets never leads
    ("30 mL oral solution in a brown glass bottle with a child-resistant cap, packed in a carton with a 5 mL measuring cup.",
     None, [([("box", 1), ("bottle", 1)], 1, "bottle", (30, "ml"), None)]),
    ("1 or 2 blister packs (5 or 10 ampoules) together with the instructions for use are placed in a cardboard pack.\n"
     "5 ampoules of 1 ml each in a blister pack.", "ampoule",
     [([("box", 1), ("blister", 1)], 5, "ampoule", (1, "ml"), None),
      ([("box", 1), ("blister", 2)], 10, "ampoule", (1, "ml"), None)]),
])
def test_one_pack_sentence_of_each_shape(text, unit, want):
    assert packs(text, unit) == want


def test_strength_labels_give_each_strength_its_packs_and_a_per_volume_strength_its_fill():
    text = ("Solution in type I glass pre-filled syringes with a fixed needle.\n"
            "20 mg/0.2 mL: packs of 2 or 10 pre-filled syringes.\n"
            "60 mg/0.6 mL and 80 mg/0.8 mL: packs of 2 pre-filled syringes.\n"
            "Not all pack sizes may be marketed.\n")
    got = packs(text)
    assert [(p[1], p[3], p[4]) for p in got] == [(2, (0.2, "ml"), 20), (10, (0.2, "ml"), 20), (2, (0.6, "ml"), 60),
                                                 (2, (0.8, "ml"), 80)]
    assert all(p[0] == [("pack", 1), ("prefilled-syringe", p[1])] for p in got)


def test_counts_after_a_strength_go_in_the_container_named_before():
    text = "Alu/PVC blisters in cartons. 250 mg: 20 or 60 tablets. 500 mg: 30 tablets. Not all pack sizes may be marketed."
    assert packs(text, "tablet") == [([("box", 1)], 20, "tablet", None, 250), ([("box", 1)], 60, "tablet", None, 250),
                                     ([("box", 1)], 30, "tablet", None, 500)]


def test_how_supplied_lines_joined_into_one_paragraph_keep_their_strengths():
    text = ("250 mg tablets: NDC 71234-301-60 bottles of 60; NDC 71234-301-12 bottles of 120 "
            "500 mg tablets: NDC 71234-302-60 bottles of 60\n")
    assert [(p[1], p[4]) for p in packs(text, "tablet")] == [(60, 250), (120, 250), (60, 500)]


def test_each_how_supplied_line_is_its_own_pack():
    text = "NDC 12345-155-23 bottles of 90\nNDC 12345-155-40 10 × 10 unit dose blisters\n"
    assert packs(text, "tablet") == [([("bottle", 1)], 90, "tablet", None, None),
                                     ([("pack", 1), ("blister", 10)], 100, "tablet", None, None)]


def test_a_strength_standing_alone_holds_the_lines_under_it():
    text = "5 mg\n  NDC 71234-105-30 bottles of 30\n  NDC 71234-105-90 bottles of 90\n10 mg\n  NDC 71234-110-30 bottles of 30\n"
    assert [(p[1], p[4]) for p in packs(text, "tablet")] == [(30, 5), (90, 5), (30, 10)]


def test_a_kit_in_trays_nests_each_level():
    text = ("TREVALIMA Pen 40 mg/0.8 mL: a carton containing two dose trays, each with a single-use pen and an alcohol "
            "preparation pad. NDC 71234-640-02.")
    assert packs(text) == [([("box", 1), ("tray", 2), ("pen", 1)], 2, "pen", (0.8, "ml"), 40)]


def test_net_contents_on_a_carton_restated_in_brackets_fill_the_container():
    assert packs("NET WT 1 OZ (28 g) tube") == [([("tube", 1)], 1, "tube", (28, "g"), None)]
    assert packs("1 bottle - 0.54 FL OZ (16 g) - 120 metered sprays") == [
        ([("bottle", 1)], 120, "actuation", (16, "g"), None)]


def test_russian_packaging_reads_with_the_russian_vocabulary():
    text = ("По 5 мл в ампулы. По 5 ампул в контурную ячейковую упаковку. "
            "По 1 или 2 контурные ячейковые упаковки в пачку картонную.")
    assert packs(text, "ampoule") == [
        ([("box", 1), ("blister", 1), ("ampoule", 5)], 5, "ampoule", (5, "ml"), None),
        ([("box", 1), ("blister", 2), ("ampoule", 5)], 10, "ampoule", (5, "ml"), None)]


def test_what_is_no_count_is_never_read_as_one():
    # package codes, strengths, needle sizes, a filter's pore size and page numbers
    text = ("Each carton contains 1 prefilled syringe with a fixed 27 gauge 1/2 inch needle. NDC 71234-641-02.\n"
            "Sterile syringe filters with a pore diameter of 0.22 microns are placed in the pack. Page 5 of 6\n")
    got = packs(text)
    assert all(c >= 1 and float(c).is_integer() for p in got for _, c in p[0])
    assert {p[1] for p in got} <= {1}


def test_no_pack_in_text_without_containers():
    assert packs("Not all pack sizes may be marketed. Keep out of the reach of children.") == []
    assert packs("") == []


def test_quantity_of_the_fill_is_a_quantity():
    blocks = [Block(p, content=p.text, content_start=p.span.start) for p in paragraphs("2.5 ml in a dropper bottle. "
                                                                                       "1 or 3 bottles in a carton pack.")]
    _levels, pres = read_packaging(blocks, None)
    assert [p.fill_volume for p in pres] == [Quantity(2.5, "ml"), Quantity(2.5, "ml")]
    assert [p.unit_count for p in pres] == [1, 3]


def test_every_container_the_vocabularies_name_has_a_display_for_the_mapping():
    from fhir_adapter.monograph.vocabulary import CONTAINERS
    from fhir_adapter.terminology.tables import CONTAINERS as DISPLAYS
    assert {k for k, _ in CONTAINERS} <= set(DISPLAYS)


def test_packs_parted_by_rules_chain_within_their_part_and_accessories_count_for_nothing():
    text = ("-\n\n"
            "1.0 mL of the solution in clear glass (type I) single-use syringes fitted with a needle.\n\n"
            "Two syringes in a tray with two alcohol swabs in a plastic package.\n\n"
            "One or three plastic packages in a carton.\n\n"
            "-\n\n"
            "1.0 mL of the solution in a single-use pen with a grey cap.\n\n"
            "Two pens in a tray with two individually wrapped swabs in a plastic package. One plastic package "
            "in a carton.\n")
    got = packs(text)
    assert ([("box", 1), ("pack", 1), ("tray", 1), ("prefilled-syringe", 2)], 2, "prefilled-syringe", (1, "ml"),
            None) in got
    assert ([("box", 1), ("pack", 3), ("tray", 1), ("prefilled-syringe", 2)], 6, "prefilled-syringe", (1, "ml"),
            None) in got
    assert ([("box", 1), ("pack", 1), ("tray", 1), ("pen", 2)], 2, "pen", (1, "ml"), None) in got
    # a carton of the syringes' part never holds the pens' package
    assert len(got) == 3, got
