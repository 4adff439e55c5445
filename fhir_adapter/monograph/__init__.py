"""Reading stage: monograph text -> typed Monograph (no FHIR here)."""
from .model import Monograph
from .reader import read_monograph

__all__ = ["Monograph", "read_monograph"]
