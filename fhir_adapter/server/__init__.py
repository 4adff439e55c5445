"""Server stage: the Flask app factory, REST interactions, search and operations."""
from .app import create_app

__all__ = ["create_app"]
