"""Validation stage: base R5 and profile validation -> OperationOutcome."""
from .validator import Result, Validator

__all__ = ["Result", "Validator"]
