"""The Yishu vocabulary (Turtle), its SKOS code lists and the JSON-LD context."""

from pathlib import Path

__all__ = ["ONTOLOGY_DIR", "ONTOLOGY_FILES"]

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILES = (ONTOLOGY_DIR / "yishu.ttl", ONTOLOGY_DIR / "codelists.ttl")
