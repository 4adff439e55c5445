"""Persistence stage: the embedded SQLite store and its search indexes."""
from .errors import (
           Conflict,
           Gone,
           Invalid,
           NotFound,
           NotSupported,
           PreconditionFailed,
           StoreError,
           Unprocessable,
)
from .query import Clause
from .searchparams import Registry, SearchParam, default_registry
from .sqlite import Store, Stored

__all__ = ["Clause", "Conflict", "Gone", "Invalid", "NotFound", "NotSupported", "PreconditionFailed", "Registry",
           "SearchParam", "Store", "Stored", "StoreError", "Unprocessable", "default_registry"]
