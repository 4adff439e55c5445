"""fhir-adapter: drug monographs as FHIR R5 resources.

    >>> import fhir_adapter
    >>> mono = fhir_adapter.read_monograph(text)    # typed Monograph with .warnings
    >>> bundle = fhir_adapter.convert(text)         # fhir.resources Bundle (collection)
    >>> bundle = fhir_adapter.convert_file("leaflet.pdf")   # text, HTML or PDF, by content

Bytes are decoded first (`fhir_adapter.monograph.inputs.decode`: UTF-8, UTF-16, Windows-1251,
HTML, PDF); bytes that hold no monograph raise `UnreadableInput`, a ValueError.
"""
from __future__ import annotations

from os import PathLike
from pathlib import Path

from fhir.resources.bundle import Bundle

from .mapping import to_bundle
from .monograph import Monograph
from .monograph import read_monograph as _read_text
from .monograph.inputs import UnreadableInput, decode
from .monograph.model import Warning as ReadWarning

__version__ = "0.1.0"
__all__ = ["Monograph", "UnreadableInput", "convert", "convert_file", "read_monograph"]


def read_monograph(source: str | bytes, name: str | None = None) -> Monograph:
    """Read a monograph given as text, or as the bytes of a text, HTML or PDF file (`name`, the file's
    name, is a hint to its kind). What decoding the bytes noticed comes first among the warnings."""
    if isinstance(source, bytes | bytearray | memoryview):
        decoded = decode(bytes(source), name)
        mono = _read_text(decoded.text)
        mono.warnings[:0] = [ReadWarning(w) for w in decoded.warnings]
        return mono
    return _read_text(source)


def convert(source: str | bytes, name: str | None = None) -> Bundle:
    """Convert a monograph (text, or the bytes of a text, HTML or PDF file) into a validated FHIR R5
    collection Bundle."""
    return to_bundle(read_monograph(source, name))


def convert_file(path: str | PathLike[str]) -> Bundle:
    """Convert the monograph in a file: text in any of the encodings `decode` knows, HTML or PDF."""
    return convert(Path(path).read_bytes(), str(path))
