"""Stable IRIs minted from template codes, so that a reload updates rather than duplicates."""

from __future__ import annotations

from urllib.parse import quote, unquote

from ontology.kinds import KINDS as _DECLARED
from ontology.namespaces import base_iri

__all__ = ["KINDS", "mint", "item_iri", "source_graph", "code_of", "kind_of"]

# entity kind -> IRI path segment (declared once in ontology.kinds)
KINDS: dict[str, str] = {k.code: k.segment for k in _DECLARED}


def _q(code: str) -> str:
    return quote(code, safe="")


def mint(kind: str, code: str, base: str | None = None) -> str:
    return f"{base or base_iri()}{KINDS[kind]}/{_q(code)}"


def item_iri(resource_code: str, item_name: str, base: str | None = None) -> str:
    return f"{base or base_iri()}item/{_q(resource_code)}/{_q(item_name)}"


def source_graph(source: str, base: str | None = None) -> str:
    """Named graph holding everything one load source (e.g. a department's catalog) loaded."""
    return f"{base or base_iri()}source/{_q(source)}"


def kind_of(iri: str, base: str | None = None) -> str | None:
    b = base or base_iri()
    if not iri.startswith(b):
        return None
    seg = iri[len(b):].split("/", 1)[0]
    return seg if seg in KINDS.values() else None


def code_of(iri: str, base: str | None = None) -> str:
    """The code an IRI was minted from (``RES/item name`` for items)."""
    b = base or base_iri()
    rest = iri[len(b):].split("/", 1)[1] if iri.startswith(b) else iri
    return "/".join(unquote(p) for p in rest.split("/"))
