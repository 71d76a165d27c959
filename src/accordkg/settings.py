"""Settings, read once at the edge (CLI or app factory) and passed down from there."""

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from accordkg.errors import InputError
from accordkg.iris import is_absolute_iri
from accordkg.namespaces import CC_BY_4, DEFAULT_BASE_IRI
from accordkg.sparql.federation import Endpoint, endpoint, is_public_host


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
    header_timeout_s: float = Field(
        default=10.0,
        gt=0,
        description="A client gets this long, from connecting or from its previous answer, "
        "to send a request's head (request line and headers); then its connection is closed.",
    )
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
    change_check_s: float = Field(
        default=2.0,
        ge=0,
        description="How often, at most, each process asks the remote store whether its data "
        "changed (written by another replica or program); caches catch up within this "
        "(store=remote).",
    )
    query_timeout_s: float = Field(
        default=30.0, gt=0, description="A SPARQL query running longer is stopped (503)."
    )
    query_memory_bytes: int = Field(
        default=3 * 1024**3,
        ge=256 * 1024**2,
        description="Memory one query worker may use, its copy of the store included; a "
        "query that needs more is stopped (503) and the worker replaced.",
    )
    query_copy_bytes: int = Field(
        default=256 * 1024**2,
        ge=0,
        description="Memory each query worker's in-memory copy of the store may take (about "
        "850 bytes a quad while it loads): a store that fits is copied in the background "
        "and heavy queries run several times faster; else, or until then, workers answer "
        "from the store on disk. 0: never copy.",
    )
    upload_timeout_s: float = Field(
        default=60.0,
        gt=0,
        description="Parsing one Graph Store upload longer than this is stopped (413).",
    )
    query_workers: int = Field(
        default=2, ge=1, le=64, description="Worker processes that run SPARQL queries."
    )
    query_wait_s: float = Field(
        default=10.0, gt=0, description="How long a request waits for a free query worker."
    )
    row_limit: int = Field(
        default=10_000, ge=1, description="Most rows (or triples) one query answer carries."
    )
    graph_fetch_limit: int = Field(
        default=50_000,
        ge=100,
        description="Most triples one /graph request reads from a store it walks.",
    )
    answer_buffer_bytes: int = Field(
        default=4 * 1024 * 1024,
        ge=1,
        description="A query answer up to this size is sent whole; a larger one streams, "
        "after a second, counting run of the query decides whether the row limit cut it.",
    )
    service_allowlist: tuple[str, ...] = Field(
        default=(),
        description="IRI prefixes SERVICE may call (JSON list); none by default, never loopback.",
    )
    update_token: SecretStr | None = Field(
        default=None,
        description="Bearer token for SPARQL updates and Graph Store writes; unset: read-only.",
    )
    max_source_bytes: int = Field(
        default=20_000_000,
        gt=0,
        description="Largest source file (a text, a saved web page or a PDF, whose fonts and "
        "images make it larger than its text) extraction or `accordkg add` accepts.",
    )
    dataset_title: str = Field(
        default="accordkg: international AI research cooperation agreements",
        min_length=1,
        description="Title of the dataset in its VoID and DCAT description.",
    )
    dataset_description: str = Field(
        default=(
            "Declarations, joint statements, memoranda of understanding and agreements on "
            "cooperation in AI research, extracted from their published texts into RDF: "
            "parties, signatures, recitals and commitments, each fact with the span of "
            "source text it comes from, linked to Wikidata and ROR."
        ),
        min_length=1,
        description="Description of the dataset in its VoID and DCAT description.",
    )
    dataset_license: str = Field(
        default=CC_BY_4,
        pattern=r"^https?://\S+$",
        description="IRI of the licence the data is published under.",
    )
    dataset_publisher: str = Field(
        default="The accordkg project",
        min_length=1,
        description="Name of the agent that publishes the dataset.",
    )
    max_query_bytes: int = Field(
        default=1_000_000,
        gt=0,
        description="Largest query body /sparql takes (413 past it).",
    )
    max_import_bytes: int = Field(
        default=50_000_000,
        gt=0,
        description="Largest file `accordkg import` accepts, and largest request body a "
        "Graph Store upload or SPARQL update may carry (413).",
    )

    @field_validator("base_iri", "dataset_license")
    @classmethod
    def _absolute_iri(cls, value: str) -> str:
        """IRIs that are written into SPARQL and RDF as they are (accordkg.iris decides)."""
        if not is_absolute_iri(value):
            raise ValueError(f"{value!r} is not an absolute IRI")
        return value

    @field_validator("service_allowlist")
    @classmethod
    def _public_services_only(cls, prefixes: tuple[str, ...]) -> tuple[str, ...]:
        """Allow only http(s) prefixes whose host, read as a resolver reads it, is a public
        name or address."""
        for prefix in prefixes:
            try:
                host = endpoint(prefix).host
            except InputError as exc:
                raise ValueError(str(exc)) from None
            if not is_public_host(host):
                raise ValueError(f"{prefix!r} names a loopback, private or local host")
        return prefixes

    @cached_property
    def service_endpoints(self) -> tuple[Endpoint, ...]:
        """The allow-list, parsed once."""
        return tuple(endpoint(prefix) for prefix in self.service_allowlist)

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def sources_dir(self) -> Path:
        return self.input_dir / "sources"

    @property
    def mappings_file(self) -> Path:
        """The SSSOM table of links out, loaded into the mappings graph."""
        return self.input_dir / "mappings.sssom.tsv"

    @property
    def site_dir(self) -> Path:
        return self.data_dir / "site"

    @property
    def build_cache_file(self) -> Path:
        """What the last build extracted, for the next to keep what has not changed."""
        return self.data_dir / "build-cache.json"

    @property
    def dumps_dir(self) -> Path:
        return self.data_dir / "dumps"
