"""The input stage: monographs as bytes in any encoding, as HTML and as PDF; junk refused; -o rules."""
import io
import json
import os
import random
import stat
import subprocess
import sys
import threading
import zipfile
from collections import Counter

import pytest

import fhir_adapter
from fhir_adapter.monograph.inputs import HTML, PDF, TEXT, DecodedText, UnreadableInput, decode

from .conftest import ROOT, SEED

INPUTS = ROOT / "tests" / "fixtures" / "inputs"
CMD = [sys.executable, "-m", "fhir_adapter.cli"]


def run(*args, input=None):
    return subprocess.run(CMD + list(args), capture_output=True, input=input, timeout=120)


def one_line_error(p) -> str:
    err = p.stderr.decode("utf-8", "replace")
    assert p.returncode != 0, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


# ------------------------------------------------------------------ encodings

ENCODINGS = [
    ("utf-8", lambda t: t.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", lambda t: t.encode("utf-8-sig"), "utf-8"),
    ("utf-16 LE with BOM", lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE with BOM", lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16-be"),
    ("utf-16 LE without BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("utf-16 BE without BOM", lambda t: t.encode("utf-16-be"), "utf-16-be"),
    ("cp1251", lambda t: t.encode("cp1251"), "cp1251"),
]


@pytest.mark.parametrize("label,encode,codec", ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_every_encoding_of_the_seed_decodes_to_the_same_text(seed_text, label, encode, codec):
    d = decode(encode(seed_text), "cellex.txt")
    assert isinstance(d, DecodedText) and d.media_type == TEXT and d.pages is None
    assert d.text == seed_text
    assert d.encoding == codec


RUSSIAN = ("МЕКСИДОЛ, раствор для внутривенного и внутримышечного введения 50 мг/мл\n\n"
           "Состав: 1 мл раствора содержит активное вещество: этилметилгидроксипиридина сукцинат 50 мг.\n"
           "Противопоказания: острые нарушения функции печени и почек, повышенная чувствительность.\n")


@pytest.mark.parametrize("encode", [lambda t: t.encode("cp1251"), lambda t: t.encode("utf-16-le"),
                                    lambda t: t.encode("utf-16-be"), lambda t: t.encode("utf-16")],
                         ids=["cp1251", "utf-16-le", "utf-16-be", "utf-16 with BOM"])
def test_russian_text(encode):
    assert decode(encode(RUSSIAN)).text == RUSSIAN


def test_western_8_bit_text_is_not_read_as_cyrillic():
    text = "Tablette für Kinder über 6 Jahre; Sjögren-Syndrom; à prendre après le repas.\n"
    d = decode(text.encode("cp1252"))
    assert d.text == text and d.encoding == "cp1252" and d.warnings


def test_utf8_with_one_broken_byte_stays_utf8(seed_text):
    data = seed_text.encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    d = decode(data)
    assert d.encoding == "utf-8" and "\ufffd" in d.text and "invalid UTF-8" in d.warnings[0]
    assert d.text.replace("\ufffd", "") == seed_text


def test_bytes_through_the_library(seed_text):
    plain = fhir_adapter.convert(seed_text)
    from_bytes = fhir_adapter.convert(seed_text.encode("utf-16"))
    assert len(from_bytes.entry) == len(plain.entry)
    mono = fhir_adapter.read_monograph(seed_text.encode("cp1251"))
    assert mono.product.name == "Cellex" and "Windows-1251" in mono.warnings[0].message
    assert len(fhir_adapter.convert_file(INPUTS / "cellex.pdf").entry) == len(plain.entry)


def test_import_stays_light():
    code = "import sys, fhir_adapter; print(any(m.split('.')[0] == 'pypdf' for m in sys.modules))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert p.stdout.strip() == "False", p.stderr


# ------------------------------------------------------------------ HTML

PAGE = b"""<!DOCTYPE html><html><head><title>Examplin | Pharmacy</title>
<style>p { color: red }</style><script>var s = '<p>not text</p>';</script></head>
<body><nav><a href="/">Home</a> <a href="/a-z">Drugs A-Z</a></nav><div role="navigation">Menu</div>
<h1>Examplin 10&nbsp;mg tablets</h1>
<p>Composition:<br>active substance: examplin 10 mg &amp; lactose</p>
<h2>Contraindications</h2>
<ul><li>hypersensitivity;</li><li><p>pregnancy</p></li><li>children <b>under</b> 18 years</li></ul>
<table><tr><th>Reaction</th><th>Frequency</th></tr><tr><td>headache</td><td>common<br>(1/10)</td></tr></table>
<p hidden>hidden</p><p style="display:none">hidden too</p><!-- a comment -->
<p>Dose &lt;5 mg</p>
<script src="/analytics.js"></script></body></html>"""


def test_html_blocks_become_lines():
    d = decode(PAGE, "examplin.html")
    assert d.media_type == HTML and d.encoding == "utf-8" and d.warnings == ()
    assert d.text == (
        "Examplin 10\u00a0mg tablets\n\n"
        "Composition:\nactive substance: examplin 10 mg & lactose\n\n"
        "Contraindications\n\n"
        "• hypersensitivity;\n• pregnancy\n• children under 18 years\n\n"
        "Reaction | Frequency\nheadache | common (1/10)\n\n"
        "Dose <5 mg\n")


def test_html_title_only_without_h1_and_charset_from_meta():
    page = ('<html><head><meta charset="windows-1251"><title>Мексидол</title></head>'
            "<body><p>Состав: мексидол</p></body></html>").encode("cp1251")
    d = decode(page)
    assert d.media_type == HTML and d.encoding == "cp1251"
    assert d.text == "Мексидол\n\nСостав: мексидол\n"


def test_html_is_recognised_by_content_not_name():
    d = decode(PAGE, "examplin.txt")
    assert d.media_type == HTML and "is HTML markup" in d.warnings[0]
    d = decode(b"Dose <5 mg if CrCl <30 ml/min.\n", "notes.html")
    assert d.media_type == TEXT and "no HTML markup" in d.warnings[0]
    assert decode(b"Dose <5 mg if CrCl <30 ml/min; a <b> in prose makes no page.\n").media_type == TEXT


def test_html_page_in_utf16():
    d = decode(PAGE.decode().encode("utf-16"), "examplin.htm")
    assert d.media_type == HTML and d.text.startswith("Examplin 10\u00a0mg tablets\n")


# ------------------------------------------------------------------ PDF

def test_pdf_text_keeps_pages_and_paragraphs(seed_text):
    d = decode((INPUTS / "cellex.pdf").read_bytes(), "cellex.pdf")
    assert d.media_type == PDF and d.encoding is None and d.pages == 3 and d.warnings == ()
    assert d.text.count("\f") == d.pages - 1
    assert "Page 1" in d.text  # page furniture is for the normaliser to recognise
    # words as in the source, paragraphs apart by a blank line as in the source
    furniture = {"Page", "1", "2", "3"}
    def words(t):
        return [w for w in t.split() if w not in furniture]

    assert words(d.text) == words(seed_text)
    assert "\n\nComposition per 1 ml:\n\nActive substance: polypeptides" in d.text


def _pdf_without_text() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(595, 842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


@pytest.mark.parametrize("data,reason", [
    (b"%PDF-1.7\n%garbage that is no PDF at all\n", "damaged PDF"),
    (_pdf_without_text(), "without a text layer"),
], ids=["damaged", "no text layer"])
def test_unreadable_pdf(data, reason):
    with pytest.raises(UnreadableInput, match=reason) as exc:
        decode(data, "x.pdf")
    assert "\n" not in str(exc.value) and isinstance(exc.value, ValueError)


# ------------------------------------------------------------------ the same monograph, every way

def _without_extensions(node):
    """FHIR content without extensions (the source spans differ between versions of the text)."""
    if isinstance(node, dict):
        return {k: _without_extensions(v) for k, v in node.items()
                if k not in ("extension", "modifierExtension")}
    if isinstance(node, list):
        return [_without_extensions(v) for v in node]
    return node


def facts_of(text: str) -> tuple:
    b = json.loads(fhir_adapter.convert(text).model_dump_json(exclude_none=True))
    resources = [e["resource"] for e in b["entry"]]
    cud = Counter(r["type"] for r in resources if r["resourceType"] == "ClinicalUseDefinition")
    medication = next(r for r in resources if r["resourceType"] == "Medication")
    return medication["code"]["text"], cud, _without_extensions(medication.get("ingredient"))


@pytest.fixture(scope="module")
def plain_facts():
    return facts_of(SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fixture", ["cellex.pdf", "cellex.html"])
def test_pdf_and_html_versions_convert_as_the_text_does(plain_facts, fixture):
    name, cud, composition = facts_of(decode((INPUTS / fixture).read_bytes(), fixture).text)
    want_name, want_cud, want_composition = plain_facts
    assert name == want_name
    assert abs(sum(cud.values()) - sum(want_cud.values())) <= max(1, sum(want_cud.values()) // 10)
    assert set(cud) == set(want_cud)
    assert composition == want_composition


@pytest.mark.parametrize("fixture", ["cellex.pdf", "cellex.html"])
def test_cli_converts_pdf_and_html(tmp_path, fixture):
    p = run("convert", str(INPUTS / fixture))
    assert p.returncode == 0, p.stderr.decode()
    names = {e["resource"]["code"]["text"] for e in json.loads(p.stdout)["entry"]
             if e["resource"]["resourceType"] == "Medication"}
    assert names == {"Cellex"}


def test_cli_reads_utf16_from_stdin(seed_text):
    p = run("convert", "-", input=seed_text.encode("utf-16"))
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads(p.stdout)["entry"]


# ------------------------------------------------------------------ junk

def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


JUNK = {
    "random bytes": random.Random(7).randbytes(4096),
    "random bytes without NUL": bytes(b or 1 for b in random.Random(8).randbytes(4096)),
    "PNG": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
    "ZIP": _zip(),
    "gzip": b"\x1f\x8b\x08\x00" + bytes(20),
}


@pytest.mark.parametrize("label", list(JUNK))
def test_binary_junk_is_refused(tmp_path, label):
    with pytest.raises(UnreadableInput) as exc:
        decode(JUNK[label], "leaflet.txt")
    assert "\n" not in str(exc.value)
    f = tmp_path / "leaflet.txt"
    f.write_bytes(JUNK[label])
    err = one_line_error(run("convert", str(f)))
    assert str(f) in err


def test_junk_on_stdin_is_refused():
    one_line_error(run("convert", "-", input=JUNK["PNG"]))


# ------------------------------------------------------------------ -o

def test_output_to_a_directory_is_refused(tmp_path):
    err = one_line_error(run("convert", str(SEED), "-o", str(tmp_path)))
    assert "directory" in err and list(tmp_path.iterdir()) == []


def test_output_to_a_missing_folder_is_one_line(tmp_path):
    err = one_line_error(run("convert", str(SEED), "-o", str(tmp_path / "no" / "such" / "out.json")))
    assert "does not exist" in err


def test_output_to_dev_null_is_written_through():
    before = os.stat("/dev/null")
    p = run("convert", str(SEED), "-o", "/dev/null")
    assert p.returncode == 0, p.stderr.decode()
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_output_to_a_fifo_is_written_through(tmp_path):
    fifo = tmp_path / "bundle.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    p = run("convert", str(SEED), "-o", str(fifo))
    reader.join(30)
    assert p.returncode == 0, p.stderr.decode()
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)  # still the FIFO: nothing replaced it
    assert json.loads(got[0])["resourceType"] == "Bundle"


def test_output_replaces_a_file_keeping_its_mode_and_links(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(real)
    p = run("convert", str(SEED), "-o", str(link))
    assert p.returncode == 0, p.stderr.decode()
    assert link.is_symlink() and json.loads(real.read_text())["resourceType"] == "Bundle"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(f.name for f in tmp_path.iterdir()) == ["link.json", "real.json"]
