"""The normalise component: what it mends, and that every span still points into the source."""
import re

import pytest

from fhir_adapter import read_monograph
from fhir_adapter.monograph.normalise import normalise


def source_of(n, word: str) -> str:
    i = n.text.index(word)
    s, e = n.to_source(i, i + len(word))
    return n.source[s:e]


def test_hyphenated_line_breaks_join_unless_the_text_writes_the_compound():
    n = normalise("Hyper-\nsensitivity to film-\ncoated tablets. Film-coated tablets.\n")
    assert n.text.startswith("Hypersensitivity to film-\ncoated")
    assert source_of(n, "Hypersensitivity") == "Hyper-\nsensitivity"
    assert n.changes["hyphenated line break"] == 1


def test_page_furniture_and_running_heads_go():
    pages = [f"Testamol 5 mg tablets\nSummary of text\nline {i} of the body.\nPage {i} of 4\n" for i in range(1, 5)]
    n = normalise("\f".join(pages))
    assert "Page" not in n.text and "Testamol 5 mg tablets" not in n.text
    assert "line 3 of the body." in n.text
    assert "Summary of text" not in n.text and n.changes["page furniture"] == 12


def test_reference_id_footers_and_crlf():
    n = normalise("Dose\r\nReference ID: 4123456\r\nTake 5 mg once a day.\r\n")
    assert n.text == "Dose\nTake 5 mg once a day.\n"
    assert source_of(n, "Take 5 mg") == "Take 5 mg"


def test_characters_mapped_one_for_one_or_dropped():
    n = normalise("5\u00a0\u03bcg \u2212 \ufb01lm\u00ad coat\u200bed\n")
    assert n.text == "5 µg - film coated\n"
    assert source_of(n, "film") == "\ufb01lm"
    assert source_of(n, "coated") == "coat\u200bed"


def test_tabs_between_cells_become_cell_separators_but_indentation_does_not():
    n = normalise("\tNausea\tCommon\t\n")
    assert n.text == "\tNausea | Common\t\n"


@pytest.mark.parametrize("junk", ["", "\f\f", "\r\r\n", "-\n-", "\u00ad", "a-\nb-\nc"])
def test_degenerate_inputs_map_every_offset(junk):
    n = normalise(junk)
    back = [n.to_source(i, i)[0] for i in range(len(n.text) + 1)]
    assert all(0 <= o <= len(junk) for o in back)
    assert back == sorted(back)


def test_a_pdf_paste_reads_as_the_clean_text_and_spans_point_into_the_paste(seed_text):
    # wrap every long line hyphenating inside a word, and add page furniture
    out = []
    for k, line in enumerate(seed_text.split("\n")):
        m = re.search(r"\b([a-z]{4,})([a-z]{4,})\b", line[40:]) if len(line) > 60 else None
        if m:
            cut = 40 + m.start(2)
            line = line[:cut] + "-\n" + line[cut:]
        out.append(line)
        if k and k % 25 == 0:
            out.append(f"\fPage {k // 25} of 5")
    pasted = "\n".join(out)
    clean, pdf = read_monograph(seed_text), read_monograph(pasted)
    assert [i.name for i in pdf.ingredients] == [i.name for i in clean.ingredients]
    assert [c.text for c in pdf.contraindications] == [c.text for c in clean.contraindications]
    assert pdf.text == pasted
    squeeze = lambda s: re.sub(r"-\n|\fPage \d of 5|\s+", "", s)  # noqa: E731
    for a, b in zip(clean.contraindications + clean.indications + clean.ingredients,
                    pdf.contraindications + pdf.indications + pdf.ingredients, strict=True):
        assert squeeze(pasted[b.span.start:b.span.end]) == squeeze(seed_text[a.span.start:a.span.end])


def test_degree_lookalikes_become_degree_signs_only_beside_a_temperature():
    n = normalise("store at 20⁰-25⁰C (68º to 77ºF); 10⁰ is ten to the zero; 1º line\n")
    assert n.text == "store at 20°-25°C (68° to 77°F); 10⁰ is ten to the zero; 1º line\n"


@pytest.mark.parametrize("raw, text", [
    ("500 to 1,500 mg daily", "500 to 1500 mg daily"), ("1/10,000 to 1/1,000", "1/10000 to 1/1000"),
    ("1,5 ml", "1,5 ml"), ("3,14159", "3,14159"), ("(N=1,200)", "(N=1200)"),
])
def test_thousands_separators_go_decimal_commas_stay(raw, text):
    assert normalise(raw).text == text


def test_space_aligned_columns_become_cells():
    assert normalise("Hypotension         9.0%         3.7%\n").text == "Hypotension | 9.0% | 3.7%\n"


def test_a_bracket_broken_over_lines_is_one_aside_but_a_blank_line_ends_it():
    raw = "use with caution [see\nWarnings and Precautions (5.1)\n].\n\n2.5 Renal Impairment\n"
    assert normalise(raw).text == "use with caution [see Warnings and Precautions (5.1) ].\n\n2.5 Renal Impairment\n"
    unclosed = "a [note\n\nNext paragraph ]\n"
    assert normalise(unclosed).text == unclosed
