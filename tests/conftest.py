"""Shared fixtures: settings on a temporary data directory, and the example graph."""

from pathlib import Path

import pytest
from rdflib import Graph

from accordkg.settings import Settings

TESTS = Path(__file__).parent
INPUTS = TESTS.parent / "data"
SEED = INPUTS / "sources" / "us-uk-ai-research-declaration-2020.txt"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data directory, building from the repository's data/."""
    return Settings(data_dir=tmp_path / "var", input_dir=INPUTS)


@pytest.fixture
def example() -> Graph:
    """The hand-written instance graph that conforms to ontology and shapes."""
    return Graph().parse(TESTS / "ontology" / "example.ttl")
