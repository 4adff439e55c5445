"""fhir-adapter: drug monographs as FHIR R5 resources.

    >>> import fhir_adapter
    >>> mono = fhir_adapter.read_monograph(text)    # typed Monograph with .warnings
    >>> bundle = fhir_adapter.convert(text)         # fhir.resources Bundle (collection)
"""
from __future__ import annotations

from fhir.resources.bundle import Bundle

from .mapping import to_bundle
from .monograph import Monograph, read_monograph

__version__ = "0.1.0"
__all__ = ["Monograph", "convert", "read_monograph"]


def convert(text: str) -> Bundle:
    """Convert a monograph's text into a validated FHIR R5 collection Bundle."""
    return to_bundle(read_monograph(text))
