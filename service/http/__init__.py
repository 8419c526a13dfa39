"""The HTTP shell around ``service.check``: ``create_app()`` builds the Flask application."""

from .app import create_app

__all__ = ["create_app"]
