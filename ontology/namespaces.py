"""Namespaces used across Yishu: the W3C vocabularies it reuses and its own."""

from __future__ import annotations

import os
from urllib.parse import quote

__all__ = [
    "YS", "CODE", "ORG", "DCAT", "DCTERMS", "PROV", "SKOS", "DQV", "RDF", "RDFS", "XSD", "OWL",
    "SH", "PREFIXES", "code_iri", "sparql_prefixes", "DEFAULT_BASE_IRI", "base_iri",
]

# Instances (departments, resources, …) are minted under a deployment's base IRI. It lives here,
# at the bottom, so every layer can read it without importing a face (yishu.config re-exports it).
DEFAULT_BASE_IRI = "https://data.yishu.example/"


def base_iri() -> str:
    """Base under which instance IRIs are minted (``YISHU_BASE_IRI``)."""
    base = os.environ.get("YISHU_BASE_IRI", DEFAULT_BASE_IRI)
    return base if base.endswith(("/", "#")) else base + "/"


YS = "https://w3id.org/yishu/def#"
CODE = "https://w3id.org/yishu/code/"
ORG = "http://www.w3.org/ns/org#"
DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DQV = "http://www.w3.org/ns/dqv#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SH = "http://www.w3.org/ns/shacl#"

PREFIXES: dict[str, str] = {
    "ys": YS, "code": CODE, "org": ORG, "dcat": DCAT, "dcterms": DCTERMS, "prov": PROV,
    "skos": SKOS, "dqv": DQV, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "sh": SH,
}


def code_iri(scheme: str, slug: str) -> str:
    """IRI of a controlled value, e.g. ``code_iri("SharingType", "conditional")``."""
    return f"{CODE}{scheme}/{quote(slug, safe='')}"


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
