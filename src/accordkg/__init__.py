"""accordkg: a knowledge graph of international AI research cooperation agreements."""

from importlib.metadata import version

__version__ = version("accordkg")
