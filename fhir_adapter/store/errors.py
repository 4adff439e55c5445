"""Store errors, each with the HTTP status and OperationOutcome issue code the server answers with."""
from __future__ import annotations


class StoreError(Exception):
    status = 400
    code = "processing"

    def __init__(self, message: str, expression: str | None = None):
        super().__init__(message)
        self.message = message
        self.expression = expression


class NotFound(StoreError):
    status, code = 404, "not-found"


class Gone(StoreError):
    status, code = 410, "deleted"


class Conflict(StoreError):
    status, code = 409, "conflict"


class PreconditionFailed(StoreError):
    status, code = 412, "conflict"


class Invalid(StoreError):
    status, code = 400, "invalid"


class Unprocessable(StoreError):
    status, code = 422, "processing"


class NotSupported(StoreError):
    status, code = 400, "not-supported"
