"""Settings, read once at the edge (CLI or app factory) and passed down from there."""

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from accordkg.namespaces import DEFAULT_BASE_IRI


class Settings(BaseSettings):
    """Configuration from `ACCORDKG_*` environment variables (or a `.env` file)."""

    model_config = SettingsConfigDict(env_prefix="ACCORDKG_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("var"), description="Where the store and generated files live."
    )
    input_dir: Path = Field(
        default=Path("data"), description="Source texts and curated records to build from."
    )
    base_iri: str = Field(
        default=DEFAULT_BASE_IRI,
        pattern=r"^https?://\S+/$",
        description="Base of instance IRIs; they take the form {base}{kind}/{slug}.",
    )
    host: str = Field(default="127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="Port the HTTP server binds to.")
    store: Literal["embedded", "remote"] = Field(
        default="embedded",
        description="Oxigraph embedded in the data directory, or a remote SPARQL 1.1 server.",
    )
    sparql_query_url: str | None = Field(
        default=None, description="Query endpoint of the remote store (store=remote)."
    )
    sparql_update_url: str | None = Field(
        default=None, description="Update endpoint of the remote store (store=remote)."
    )
    store_timeout_s: float = Field(
        default=60.0, gt=0, description="How long to wait for the remote store per request."
    )
    max_source_bytes: int = Field(
        default=5_000_000, gt=0, description="Largest source text extraction accepts."
    )

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def sources_dir(self) -> Path:
        return self.input_dir / "sources"

    @property
    def site_dir(self) -> Path:
        return self.data_dir / "site"
