"""The entity kinds are declared once (ontology/kinds.py); every layer's kind list derives from it
and the vocabulary (ontology/yishu.ttl) declares the same classes with the same labels."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import rdflib
from rdflib import OWL, RDF, RDFS, Literal, URIRef

from api.types import TYPES
from graph import base, iris, query
from graph.neo4j import mapping as neo4j_mapping
from loaders.spec import FILES
from ontology.kinds import KIND_CODES, KINDS, LINEAGE_KIND_CODES, class_iri, kind
from ontology.namespaces import YS

ROOT = Path(__file__).resolve().parent.parent


@cache
def vocab() -> rdflib.Graph:
    return rdflib.Graph().parse(ROOT / "ontology" / "yishu.ttl", format="turtle")


def test_kind_codes_and_segments_are_unique() -> None:
    assert len(set(KIND_CODES)) == len(KINDS) == 8
    assert len({k.segment for k in KINDS}) == len(KINDS)
    assert len({k.local for k in KINDS}) == len(KINDS)
    assert LINEAGE_KIND_CODES == ("resource", "item", "system", "department", "responsibility")


def test_every_declared_kind_is_a_class_of_the_vocabulary_with_its_labels() -> None:
    g = vocab()
    for k in KINDS:
        c = URIRef(k.cls)
        assert (c, RDF.type, OWL.Class) in g, k.code
        assert (c, RDFS.label, Literal(k.zh, lang="zh")) in g, k.code
        assert (c, RDFS.label, Literal(k.en, lang="en")) in g, k.code


def test_graph_layer_lists_derive_from_the_declaration() -> None:
    assert iris.KINDS == {k.code: k.segment for k in KINDS}
    assert query.ENTITY_KINDS == KIND_CODES
    assert query.LINEAGE_KINDS == LINEAGE_KIND_CODES
    assert base.CLASS_OF == {k.code: YS + k.local for k in KINDS}
    assert base.KIND_OF_CLASS == {YS + k.local: k.code for k in KINDS}
    assert neo4j_mapping.KIND_LABELS == {k.code: k.local for k in KINDS}
    assert set(base.FIELDS) == set(KIND_CODES)


def test_template_and_graphql_cover_exactly_the_declared_kinds() -> None:
    assert [f.kind for f in FILES] == list(KIND_CODES)
    assert all(f.cls == class_iri(f.kind) for f in FILES)
    assert list(TYPES) == list(KIND_CODES)


def test_minted_iris_use_the_declared_segment() -> None:
    base_ = "https://example.test/"
    for k in KINDS:
        iri = iris.mint(k.code, "X-1", base_)
        assert iri == f"{base_}{k.segment}/X-1"
        assert iris.kind_of(iri, base_) == k.segment


def test_unknown_kind_names_the_known_ones() -> None:
    try:
        kind("dataset")
    except KeyError as e:
        assert "department" in str(e) and "flow" in str(e)
    else:
        raise AssertionError("kind('dataset') should raise KeyError")


def test_no_kind_list_is_spelled_out_in_the_graph_and_template_layers() -> None:
    """No tuple, list or dict literal in any package but ontology/ names four or more kind codes
    (a kind list written again beside the declaration; a rule table for two or three kinds, like
    the lineage walk's anchors, is question logic, not a kind list)."""
    codes = set(KIND_CODES)
    offenders = []
    for path in [p for pkg in ("graph", "loaders", "shapes", "api", "yishu")
                 for p in sorted((ROOT / pkg).rglob("*.py"))]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            elts = (node.keys if isinstance(node, ast.Dict)
                    else node.elts if isinstance(node, (ast.Tuple, ast.List, ast.Set)) else [])
            named = {e.value for e in elts
                     if isinstance(e, ast.Constant) and isinstance(e.value, str)} & codes
            if len(named) >= 4:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_field_is_declared_once_and_derived_everywhere() -> None:
    """The graph's field table, the Neo4j property table and the policy's hidden fields come from
    ontology.fields; the template's columns carry exactly the declared predicates, value types and
    targets (reference targets named as kinds)."""
    from api.policy import PERSON_FIELDS, PHONE_FIELDS
    from ontology.fields import FIELDS as DECLARED
    from ontology.fields import VALUE_TYPES

    assert list(DECLARED) == list(KIND_CODES)
    for k, fields in DECLARED.items():
        assert len({f.name for f in fields}) == len(fields), k
        for f in fields:
            assert f.value in VALUE_TYPES, (k, f.name)
            if f.value in ("ref", "refs"):
                assert f.target in KIND_CODES, (k, f.name)
        assert [(s.name, s.pred, s.cell, s.multi, s.target) for s in base.FIELDS[k]] == [
            (f.name, f.pred, f.value, f.many, f.target) for f in fields]
        assert neo4j_mapping.FIELD_COLUMNS[k] == {
            f.name: (f.value, f.pred, f.target if f.value == "enum" else None) for f in fields}
    assert PERSON_FIELDS == ("chiefDataOfficer", "sharingLeader", "sharingClerk")
    assert PHONE_FIELDS == ("contactPhone",)
    for spec in FILES:
        cols = [c for c in spec.columns
                if c.pred and c.kind != "key" and c.pred not in (neo4j_mapping.LABEL,)]
        assert [(c.pred, c.kind, c.target) for c in cols] == [
            (f.pred, f.value, f.target) for f in DECLARED[spec.kind]], spec.kind


def _graphql_fields(typ: type) -> list[tuple[str, str | None]]:
    """(GraphQL name, description) of a Strawberry type's fields, in schema order."""
    from api.types import CatalogNode

    defn = typ.__strawberry_definition__  # type: ignore[attr-defined]
    own = {f.name for f in CatalogNode.__strawberry_definition__.fields}  # type: ignore[attr-defined]
    return [(f.graphql_name or f.python_name, f.description) for f in defn.fields
            if f.python_name not in own]


def test_graphql_types_are_made_from_the_declaration() -> None:
    """Each kind's GraphQL type has exactly its declared fields (API name, labels) and the
    declared references pointing at it — a self-reference's inverse right after it."""
    from ontology.fields import FIELDS as DECLARED
    from ontology.fields import inverses

    for k in KINDS:
        typ = TYPES[k.code]
        assert typ.__name__ == k.public
        assert typ.__strawberry_definition__.description == k.about  # type: ignore[attr-defined]
        expected = []
        back = list(inverses(k.code))
        for f in DECLARED[k.code]:
            suffix = ("（个人信息）", " (personal data)") if f.personal or f.phone else ("", "")
            expected.append((f.public, f"{f.zh}{suffix[0]} / {f.en}{suffix[1]}"))
            for inv in [i for i in back if i.kind == k.code and i.field == f.name]:
                expected.append((inv.name, f"{inv.zh} / {inv.en}"))
                back.remove(inv)
        expected += [(inv.name, f"{inv.zh} / {inv.en}") for inv in back]
        assert _graphql_fields(typ) == expected, k.code


def test_every_inverse_names_a_declared_reference_to_its_kind() -> None:
    from ontology.fields import INVERSES, field

    for target, invs in INVERSES.items():
        assert target in KIND_CODES
        assert len({i.name for i in invs}) == len(invs), target
        for inv in invs:
            f = field(inv.kind, inv.field)
            assert f.value in ("ref", "refs") and f.target == target, (target, inv.name)


def test_jsonld_context_terms_come_from_the_declaration() -> None:
    """The committed context names every declared class and field with the term its value type
    gives (and is exactly what the build script generates)."""
    import json

    from ontology.fields import FIELDS as DECLARED
    from yishu.build import CONTEXT_JSONLD, context_term, curie, render_context

    text = CONTEXT_JSONLD.read_text(encoding="utf-8")
    assert text == render_context(), "run: python -m yishu.build"
    ctx = json.loads(text)["@context"]
    for k in KINDS:
        assert ctx[k.local] == curie(k.cls)
    for fields in DECLARED.values():
        for f in fields:
            assert ctx[f.name] == context_term(f), f.name
    assert ctx["derivedFrom"] == {"@id": "ys:derivedFrom", "@type": "@id", "@container": "@set"}
    assert ctx["issued"] == {"@id": "dcterms:issued", "@type": "xsd:date"}


def test_one_concept_label_map() -> None:
    """Concept IRI -> Chinese value is built once (ontology.codelists); the engines, the Neo4j
    projection and the audits use it, and no other module builds one again."""
    from ontology.codelists import CONCEPT_LABELS, CONCEPT_OF, CONCEPT_ZH, SCHEMES
    from ontology.namespaces import code_iri
    from shapes.finding_texts import concept_labels

    assert len(CONCEPT_LABELS) == sum(len(s.values) for s in SCHEMES.values())
    assert CONCEPT_ZH[code_iri("SensitivityLevel", "level-3")] == "三级"
    assert CONCEPT_OF[("SharingType", "有条件共享")] == code_iri("SharingType", "conditional")
    assert all(CONCEPT_OF[(iri.rsplit("/", 2)[1], zh)] == iri for iri, zh in CONCEPT_ZH.items())
    assert concept_labels() == CONCEPT_LABELS
    builders = [str(p.relative_to(ROOT)) for pkg in ("graph", "loaders", "shapes", "api", "yishu")
                for p in sorted((ROOT / pkg).rglob("*.py"))
                if "code_iri(s.name, slug): zh" in p.read_text(encoding="utf-8")]
    assert builders == []


def test_generated_template_headers_come_from_the_spec() -> None:
    """The synthetic generator and the demo district write the template's headers from
    loaders.spec, leaving out only the optional columns they do not fill."""
    from loaders.spec import FILE_BY_NAME
    from yishu.synth import HEADERS, UNFILLED

    assert list(HEADERS) == [f.file for f in FILES]
    for f in FILES:
        left_out = [c for c in f.columns if c.name not in HEADERS[f.file]]
        assert [c.field for c in left_out] == list(UNFILLED.get(f.kind, ())), f.file
        assert not any(c.required for c in left_out)
        header = (ROOT / "examples" / "demo-district" / f.file).read_text(
            encoding="utf-8").splitlines()[0].split(",")
        assert header == FILE_BY_NAME[f.file].headers_without(*UNFILLED.get(f.kind, ()))
    try:
        FILE_BY_NAME["catalog.csv"].headers_without("provider")
    except ValueError as e:
        assert "required" in str(e)
    else:
        raise AssertionError("a required column cannot be left out")
