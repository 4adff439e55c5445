"""The input stage: the bytes a user hands over -> the text of the monograph, and what they were.

`decode(data, name)` recognises the input by its content, the file name's extension being only a
hint: a PDF by its `%PDF-` header (text extracted with pypdf, pages kept apart by form feeds so
that later stages can recognise page furniture), text by its byte order mark, by the NUL bytes of
UTF-16 without one, as UTF-8, or else as Windows-1251; and HTML by its markup (headings,
paragraphs, list items and table rows become lines; scripts, styles and navigation go). Images,
archives, executables and other binary data are refused with `UnreadableInput`, whose message is
one line saying what the bytes look like.

pypdf and lxml are imported only when a PDF or an HTML page comes, so `import fhir_adapter` stays
fast.
"""
from __future__ import annotations

import codecs
import logging
import re
import statistics
import threading
import unicodedata
from dataclasses import dataclass, field

TEXT, HTML, PDF = "text/plain", "text/html", "application/pdf"


class UnreadableInput(ValueError):
    """Bytes that hold no monograph this reader can take; the message is one line."""

    def __init__(self, reason: str) -> None:
        super().__init__(_one_line(reason))


@dataclass(frozen=True)
class DecodedText:
    """The text of a monograph and what it was read from."""

    text: str
    media_type: str  # TEXT, HTML or PDF
    encoding: str | None  # the codec the characters were decoded with; None for a PDF
    pages: int | None = None  # a PDF's page count
    warnings: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        return self.text


def decode(data: bytes, name: str | None = None) -> DecodedText:
    """The text of a monograph given as bytes: plain text, HTML or PDF. Raises UnreadableInput."""
    if isinstance(data, str):
        return DecodedText(data, TEXT, None)
    data = bytes(data)
    ext = _extension(name)
    warnings: list[str] = []
    at = data.find(b"%PDF-", 0, 1024)  # readers allow some bytes before the header
    if at == 0 or at > 0 and (ext == ".pdf" or b"%%EOF" in data[-2048:]):
        text, pages, pdf_warnings = pdf_text(data)
        return DecodedText(text, PDF, None, pages, tuple(pdf_warnings))
    kind = _binary_kind(data)
    if kind:
        document = kind.startswith(("a ZIP", "an OLE2", "an RTF"))
        advice = " (save the document as PDF, HTML or text)" if document else ""
        raise UnreadableInput(f"{kind}, not a monograph{advice}")
    if ext == ".pdf":
        warnings.append("named .pdf but has no PDF header: read by its content")
    text, encoding, text_warnings = decode_text(data, declared=_declared_charset(data))
    warnings += text_warnings
    reason = _refused_text(text)
    if reason:
        raise UnreadableInput(reason)
    media = TEXT
    if _looks_like_html(text, ext):
        text, html_warnings = html_text(text)
        warnings += html_warnings
        media = HTML
        if ext and ext not in _HTML_EXTENSIONS:
            warnings.append(f"named {ext} but is HTML markup: read as a web page")
    elif ext in _HTML_EXTENSIONS and text.strip():
        warnings.append(f"named {ext} but has no HTML markup: read as plain text")
    return DecodedText(text, media, encoding, None, tuple(warnings))


# ------------------------------------------------------------------ bytes -> characters

_BOMS = [  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# What the web calls these labels (WHATWG Encoding): Latin-1 and ASCII are read as Windows-1252.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "us-ascii": "cp1252",
                    "ascii": "cp1252", "iso8859-1": "cp1252", "l1": "cp1252"}


def decode_text(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Characters of text bytes: (text, codec, warnings). Raises UnreadableInput for binary data.

    A byte order mark decides; then NUL bytes in every other place mean UTF-16 without one; then
    a charset the bytes declare themselves (an HTML <meta>), UTF-8, and last Windows-1251."""
    warnings: list[str] = []
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_unit_text(data[len(bom):], codec, warnings)
    utf16 = _utf16_without_bom(data)
    if utf16:
        warnings.append(f"no byte order mark: read as {utf16.upper()} from the pattern of NUL bytes")
        return _decode_unit_text(data, utf16, warnings)
    if b"\x00" in data:
        raise UnreadableInput(f"binary data, not text ({data.count(0)} NUL bytes)")
    if declared:
        try:
            return data.decode(declared), declared, warnings
        except UnicodeDecodeError as exc:
            warnings.append(f"declares charset {declared} but byte {exc.start} is not {declared}: "
                            "read by its content")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if sum(1 for c in text if ord(c) > 127 and c != "\ufffd") >= 4 * bad:
        # Mostly good UTF-8 with a few broken bytes (a cut character, a pasted fragment).
        warnings.append(f"invalid UTF-8 at byte {first_bad} ({bad} characters replaced by U+FFFD)")
        return text, "utf-8", warnings
    text = data.decode("cp1251", errors="replace")
    if _latin_words_with_cyrillic(text):
        try:
            western = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            warnings.append("not UTF-8: read as Windows-1252, since as Windows-1251 its Latin words "
                            "would hold Cyrillic letters")
            return western, "cp1252", warnings
    warnings.append(f"not UTF-8 (byte {first_bad}): read as Windows-1251")
    return text, "cp1251", warnings


def _decode_unit_text(data: bytes, codec: str, warnings: list[str]) -> tuple[str, str, list[str]]:
    unit = 4 if codec.startswith("utf-32") else 2 if codec.startswith("utf-16") else 1
    if len(data) % unit:
        warnings.append(f"{codec.upper()} text of {len(data)} bytes, not a multiple of {unit}: "
                        "the last bytes were dropped")
        data = data[: len(data) - len(data) % unit]
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")
    if bad:
        warnings.append(f"{bad} characters that are not valid {codec.upper()} were replaced by U+FFFD")
    return text, codec, warnings


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a byte order mark: NUL high bytes (ASCII, spaces, digits) on one side only."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    # Spaces, digits and punctuation alone are a tenth of Cyrillic text; binary data has NULs everywhere.
    if nul_odd >= 0.1 and nul_even <= 0.02:
        return "utf-16-le"
    if nul_even >= 0.1 and nul_odd <= 0.02:
        return "utf-16-be"
    return None


def _declared_charset(data: bytes) -> str | None:
    """The charset an HTML page or an XML declaration names for itself, if Python knows it."""
    head = data[:4096]
    m = re.search(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", head, re.I) or \
        re.match(rb"\s*<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", head, re.I)
    if not m:
        return None
    label = m.group(1).decode("ascii").lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    # A page saved as UTF-16 is recognised by its bytes; its <meta> cannot be read as ASCII anyway.
    return None if codec.startswith(("utf-16", "utf-32")) else codec


def _latin_words_with_cyrillic(text: str) -> bool:
    """Western (Windows-1252) text read as Windows-1251: its accented letters turn Cyrillic inside
    Latin words ("für" -> "fьr"); real Russian text has Cyrillic words of their own."""
    cyrillic = [w for w in re.findall(r"[^\W\d_]+", text) if re.search(r"[\u0400-\u04ff]", w)]
    mixed = [w for w in cyrillic if re.search(r"[A-Za-z]", w)]
    return bool(cyrillic) and len(mixed) > len(cyrillic) / 2


# What a file is by its first bytes, when it is no text.
_MAGIC = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"BM", None),  # a BMP image only if the header says so, below
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (a Word .doc, an Excel .xls)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "gzip-compressed data"), (b"BZh", None), (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"), (b"\x7fELF", "an executable (ELF)"),
    (b"MZ", None), (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"), (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"), (b"%!PS", "a PostScript file"),
    (b"OggS", "an Ogg media file"), (b"ID3", "an MP3 audio file"), (b"fLaC", "a FLAC audio file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"), (b"wOFF", "a web font"), (b"wOF2", "a web font"),
]


def _binary_kind(data: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if not data.startswith(magic):
            continue
        if kind:
            return kind
        if magic == b"BM" and len(data) >= 26 and data[6:10] == b"\x00\x00\x00\x00":
            return "a BMP image"
        if magic == b"BZh" and data[3:4].isdigit():
            return "bzip2-compressed data"
        if magic == b"MZ" and b"This program cannot be run in DOS mode" in data[:512]:
            return "a Windows executable"
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}[data[8:12]]
    if data[4:8] == b"ftyp":
        return "an MP4/HEIF media file"
    return None


def _refused_text(text: str) -> str | None:
    """Why decoded characters are no text: control or unassigned codes where text has letters."""
    sample = text[:65536]
    if not sample:
        return None
    bad = sum(1 for c in sample if c == "\ufffd" or (
        c not in "\t\n\r\f\v\x1a" and unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn")))
    if bad > max(2, len(sample) // 100):
        return (f"binary data, not text ({bad} of the first {len(sample)} characters are control "
                "or unknown codes)")
    head = sample[:4096].lstrip()
    if head.startswith("{") and re.match(r'\{\s*"resourceType"\s*:', head):
        return "a FHIR JSON resource, not a monograph (fhir-adapter validate or load take it)"
    if head.startswith("<") and re.search(r"<[A-Za-z][\w.-]*\b[^>]*xmlns=[\"']http://hl7\.org/fhir[\"']",
                                          head[:2048]):
        return "a FHIR XML resource, not a monograph (fhir-adapter validate takes it)"
    return None


def _extension(name: str | None) -> str:
    if not name:
        return ""
    m = re.search(r"(\.[A-Za-z0-9]{1,8})$", str(name))
    return m.group(1).lower() if m else ""


# ------------------------------------------------------------------ HTML

_HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".xht", ".shtml"}
_HTML_START = re.compile(r"(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])",
                         re.I | re.S)
_HTML_TAG = re.compile(
    r"</?(?:html|head|body|title|meta|link|p|div|span|br|hr|h[1-6]|ul|ol|li|dl|dt|dd|table|thead|tbody|"
    r"tr|td|th|a|b|i|u|em|strong|sup|sub|section|article|header|footer|nav|main|script|style|img|font|"
    r"center)\b[^<>]*>", re.I)
_DROP = {"script", "style", "nav", "noscript", "template", "head", "svg", "canvas", "iframe", "object",
         "embed", "button", "select", "textarea", "input", "map", "audio", "video"}
_BLOCK = {"address", "article", "aside", "blockquote", "body", "center", "details", "dialog", "dir", "div",
          "dl", "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup", "html", "legend",
          "main", "menu", "p", "summary", "caption"}
_SECTION = {"section", "article", "main"}
_HEADING = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LINE = {"li", "dt", "dd", "tr", "ul", "ol", "option"}
_CELL_BLOCKS = _BLOCK | _SECTION | _HEADING | {"ul", "ol", "li", "table", "pre", "hr"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACE = re.compile(r"[ \t\n\r\f]+")  # ASCII whitespace, as HTML collapses it; no-break spaces stay


def _looks_like_html(text: str, ext: str) -> bool:
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if _HTML_START.match(head):
        return True
    tags = len(_HTML_TAG.findall(text[:65536]))
    return tags >= 1 if ext in _HTML_EXTENSIONS else tags >= 3 and head.startswith("<")


def html_text(markup: str) -> tuple[str, list[str]]:
    """The text of a web page: block elements as lines, "• " list items, " | " table rows."""
    import lxml.etree
    import lxml.html

    # lxml takes no str that still declares an encoding: the characters are decoded already.
    markup = re.sub(r"^\s*<\?xml[^>]*\?>", "", markup)
    try:
        root = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return "", ["the page has no content"]
    out = _HtmlText()
    has_h1 = any(not _hidden(h) for h in root.iter("h1"))
    title = root.find(".//title")
    if title is not None and not has_h1:
        out.text(title.text_content())
        out.brk(2)
    out.walk(root)
    text = out.result()
    return text, [] if text.strip() else ["the page has no text outside its scripts, menus and markup"]


def _hidden(el) -> bool:
    return any(_dropped(a) for a in [el, *el.iterancestors()])


def _dropped(el) -> bool:
    """Elements whose text is no content: scripts, menus, controls, and what the page hides."""
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    return tag in _DROP or el.get("hidden") is not None or el.get("aria-hidden") == "true" \
        or el.get("role") == "navigation" or bool(_HIDDEN_STYLE.search(el.get("style") or ""))


class _HtmlText:
    """Lines built while walking the tree; `brk(n)` asks for n line ends before the next text."""

    def __init__(self) -> None:
        self.lines: list[tuple[int, str]] = []  # (line ends before it, text)
        self.buf: list[str] = []
        self.pending = 0
        self.bullet = ""
        self.cap = 3  # inside a list item no block makes a blank line: the item is one line or a few

    def text(self, s: str | None) -> None:
        if s:
            self.buf.append(s)

    def flush(self) -> None:
        line = _SPACE.sub(" ", "".join(self.buf)).strip()
        self.buf = []
        if line:
            self.lines.append((max(self.pending, 1), self.bullet + line))
            self.pending, self.bullet = 0, ""

    def brk(self, n: int) -> None:
        self.flush()
        self.pending = max(self.pending, min(n, self.cap))

    def raw_lines(self, block: str, gap: int) -> None:
        self.brk(gap)
        for k, line in enumerate(block.strip("\n").split("\n")):
            self.lines.append((max(self.pending, 1) if k == 0 else 1, line.rstrip()))
            self.pending = 0
        self.brk(gap)

    def result(self) -> str:
        self.flush()
        parts = []
        for k, (ends, line) in enumerate(self.lines):
            parts.append(("\n" * ends if k else "") + line)
        return "".join(parts) + ("\n" if parts else "")

    def walk(self, el) -> None:
        tag = el.tag if isinstance(el.tag, str) else None  # comments, processing instructions
        if tag is None:
            self.text(el.tail)
            return
        tag = tag.lower()
        if _dropped(el):
            self.text(el.tail)
            return
        if tag == "br":
            if self.buf and "".join(self.buf).strip():
                self.brk(1)
            elif self.lines:
                self.pending = min(self.pending + 1, 2)  # "<br><br>" separates paragraphs
            self.text(el.tail)
            return
        if tag == "hr":
            self.brk(2)
            self.text(el.tail)
            return
        if tag == "pre":
            self.raw_lines(_inline_text(el, keep_lines=True), 2)
            self.text(el.tail)
            return
        if tag == "tr" and not any(isinstance(d.tag, str) and d.tag in _CELL_BLOCKS for d in el.iter()):
            # a row of data; a row whose cells hold blocks is page layout, read as blocks
            cells = [_SPACE.sub(" ", _inline_text(c)).strip() for c in el
                     if isinstance(c.tag, str) and c.tag.lower() in ("td", "th") and not _hidden(c)]
            cells = [c for c in cells if c]
            if cells:
                self.brk(1)
                self.text(" | ".join(cells))
                self.brk(1)
            self.text(el.tail)
            return
        gap = 3 if tag in _SECTION else 2 if tag in _BLOCK or tag in _HEADING or tag == "table" \
            else 1 if tag in _LINE or tag in ("td", "th") else 0
        if gap:
            self.brk(gap)
        cap = self.cap
        if tag in ("li", "dt", "dd"):
            self.bullet = "• " if tag == "li" else ""
            self.cap = 1
        self.text(el.text)
        for child in el:
            self.walk(child)
        self.cap = cap
        if gap:
            self.brk(gap)
            if tag == "li":
                self.bullet = ""
        self.text(el.tail)


def _inline_text(el, keep_lines: bool = False) -> str:
    """The text inside an element, dropped parts left out; <br> is a line end (or a space)."""
    parts: list[str] = []

    def visit(e) -> None:
        tag = e.tag.lower() if isinstance(e.tag, str) else None
        if tag is not None and not _dropped(e):
            if tag == "br":
                parts.append("\n" if keep_lines else " ")
            parts.append(e.text or "")
            for c in e:
                visit(c)
        if e is not el:
            parts.append(e.tail or "")

    visit(el)
    return "".join(parts)


# ------------------------------------------------------------------ PDF

_PDF_LOCK = threading.Lock()


def pdf_text(data: bytes) -> tuple[str, int, list[str]]:
    """The text layer of a PDF: (text, page count, warnings); pages are separated by form feeds."""
    import io

    from pypdf import PdfReader

    warnings: list[str] = []
    with _PdfLog() as log:
        try:
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise UnreadableInput("an encrypted PDF that needs a password")
            laid_out = []
            for number, page in enumerate(reader.pages, 1):
                try:
                    laid_out.append(_page_lines(page))
                except Exception as exc:  # noqa: BLE001 - one damaged page is a warning, not the end
                    warnings.append(f"page {number}: no text could be extracted "
                                    f"({type(exc).__name__}: {exc})")
                    laid_out.append("")
            pages = _with_paragraph_gaps(laid_out)
        except UnreadableInput:
            raise
        except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on damaged files
            if "cryptography" in str(exc):
                raise UnreadableInput("an AES-encrypted PDF: reading it needs the cryptography package "
                                      "(pip install 'pypdf[crypto]')") from exc
            raise UnreadableInput(f"a damaged PDF ({type(exc).__name__}: {exc})") from exc
    messages = list(dict.fromkeys(log.messages))
    warnings += [f"PDF: {m}" for m in messages[:3]]
    if len(messages) > 3:
        warnings.append(f"PDF: {len(messages) - 3} more complaints about the file's structure")
    if not any(p.strip() for p in pages):
        raise UnreadableInput(f"a PDF of {len(pages)} pages without a text layer (a scan? OCR it first)")
    empty = [str(k) for k, p in enumerate(pages, 1) if not p.strip()]
    if empty:
        warnings.append(f"page{'s' if len(empty) > 1 else ''} {', '.join(empty)} of the PDF "
                        f"{'have' if len(empty) > 1 else 'has'} no text (images only?)")
    return "\f".join(p.strip("\n") for p in pages) + "\n", len(pages), warnings


class _PdfLog(logging.Handler):
    """pypdf's complaints about a damaged file, kept as warnings instead of going to stderr."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(_one_line(record.getMessage()))

    def __enter__(self) -> _PdfLog:
        _PDF_LOCK.acquire()
        self.logger = logging.getLogger("pypdf")
        self.propagate = self.logger.propagate
        self.logger.addHandler(self)
        self.logger.propagate = False
        return self

    def __exit__(self, *exc) -> None:
        self.logger.removeHandler(self)
        self.logger.propagate = self.propagate
        _PDF_LOCK.release()


# A physical line: text, x and y where its first piece with ink starts, that piece's font size, and
# where its last piece ends (None when the font's widths are unknown).
_Line = tuple[str, float, float, float, float | None]


def _page_lines(page) -> str | list[_Line]:
    """pypdf's text of a page as physical lines with their positions, or as text where positions
    cannot be trusted (rotated pages, text pypdf's visitor did not report as it wrote it)."""
    chunks: list[tuple[str, tuple[float, ...], float, object]] = []

    def visit(text, cm, tm, font_dict, font_size) -> None:
        chunks.append((text, _multiply(tm, cm), float(font_size or 0), font_dict))

    plain = page.extract_text(visitor_text=visit)
    if "".join(c[0] for c in chunks) != plain or page.get("/Rotate", 0) % 360:
        return plain
    widths = _Widths()
    lines: list[list] = []
    current: list = ["", None, None]
    for text, m, size, font in chunks:
        if text.strip() and (abs(m[1]) > 1e-3 or abs(m[2]) > 1e-3):
            return plain  # rotated or skewed text: positions along a line mean something else
        for k, piece in enumerate(text.split("\n")):
            if k:
                lines.append(current)
                current = ["", None, None]
            if piece.strip():
                if current[1] is None:
                    current[1] = (m[4], m[5], (size or 10.0) * (abs(m[3]) or 1.0))
                w = widths.of(font, piece.rstrip())
                current[2] = None if w is None else m[4] + w * (size or 10.0) * (abs(m[0]) or 1.0) / 1000
            current[0] += piece
    lines.append(current)
    return [(t.strip(), *pos, end) for t, pos, end in lines if t.strip() and pos]


class _Widths:
    """Widths of text in a PDF font (thousandths of the font size), from pypdf's font metrics."""

    def __init__(self) -> None:
        self.fonts: dict[int, object] = {}

    def of(self, font_dict, text: str) -> float | None:
        if font_dict is None:
            return None
        key = id(font_dict)
        if key not in self.fonts:
            try:  # pypdf's own font model (7.x); without it widths are estimated
                from pypdf.generic._font import Font

                self.fonts[key] = Font.from_font_resource(font_dict)
            except Exception:  # noqa: BLE001 - an unusual font only loses the widths
                self.fonts[key] = None
        font = self.fonts[key]
        try:
            return float(font.get_text_width(text)) if font is not None else None
        except Exception:  # noqa: BLE001
            return None


def _with_paragraph_gaps(pages: list[str | list[_Line]]) -> list[str]:
    """The text of each page, with the blank lines its vertical gaps mean put back.

    pypdf gives the text in the order it is drawn (columns one after the other, table cells in
    order) but drops the spacing between paragraphs. A step down wider than the line spacing of
    the document is a blank line (two for a wide gap); pieces that sit on one baseline, which
    pypdf puts on lines of their own when they are separate text objects, are one line again, a
    wide space between them a table cell boundary (" | ")."""
    ratios = [(a[2] - b[2]) / b[3] for lines in pages if isinstance(lines, list)
              for a, b in zip(lines, lines[1:], strict=False) if 0.5 * b[3] < a[2] - b[2] < 3 * b[3]]
    spacing = statistics.quantiles(ratios, n=4)[0] if len(ratios) >= 4 else min(ratios, default=1.2)
    out = []
    for lines in pages:
        if not isinstance(lines, list) or not lines:
            out.append(lines or "")
            continue
        rows: list[list] = [[0, lines[0][0], False]]  # blank lines before, text, has table cells
        last = lines[0]
        for line in lines[1:]:
            words, x, y, size, _ = line
            dy = last[2] - y
            if abs(dy) < 0.5 * size and x > last[1]:
                if last[4] is not None:
                    cell = x - last[4] > 1.0 * last[3]
                else:
                    width = 0.5 * last[3] * len(last[0])  # a rough width: half an em a character
                    cell = x - last[1] - width > 2 * last[3] + 0.25 * width
                rows[-1][1] += (" | " if cell else " ") + words.lstrip()
                rows[-1][2] = rows[-1][2] or cell
            else:
                leading = spacing * size
                extra = dy - leading
                blank = 0 if dy <= 0 or extra < 0.4 * leading else 1 if extra < 1.5 * leading else 2
                rows.append([blank, words, False])
            last = line
        text = []
        for k, (blank, words, cells) in enumerate(rows):
            if cells and k and rows[k - 1][2]:
                blank = 0  # the rows of a table are padded, not paragraphs apart
            text.append("\n" * blank + words)
        out.append("\n".join(text))
    return out


def _multiply(tm, cm) -> tuple[float, ...]:
    a, b, c, d, e, f = (float(v) for v in tm)
    A, B, C, D, E, F = (float(v) for v in cm)
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _one_line(s: str) -> str:
    s = " ".join(str(s).split())
    return s if len(s) <= 300 else s[:297] + "..."
