"""Shared fixtures: settings on a temporary data directory, and the example graph."""

from pathlib import Path

import pytest
from rdflib import Graph

from accordkg.settings import Settings

TESTS = Path(__file__).parent


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var")


@pytest.fixture
def example() -> Graph:
    """The hand-written instance graph that conforms to ontology and shapes."""
    return Graph().parse(TESTS / "ontology" / "example.ttl")
