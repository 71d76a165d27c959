"""The HTTP layer of accordkg (FastAPI); `create_app` is the uvicorn app factory."""

from accordkg.api.app import create_app

__all__ = ["create_app"]
