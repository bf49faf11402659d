"""The fast path gives exactly pyshacl's results (the reference), and department slices give
exactly the whole-catalog findings of that department."""

from __future__ import annotations

import pytest

from graph.store import CatalogStore
from shapes.audit import audit
from shapes.fast import FastValidator
from shapes.rules import load_shapes
from shapes.working_copy import rdflib_graph, working_store

from .catalogs import AS_OF, Catalog
from .rule_cases import CASES


def _raw_both(store: CatalogStore):
    import pyshacl

    from shapes.results import results_from_report

    shapes = load_shapes(AS_OF)
    work = working_store(store)
    data = rdflib_graph(work)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, advanced=True, allow_warnings=True)
    ref = {r.key() for r in results_from_report(report)}
    fast = {r.key() for r in FastValidator(shapes).validate(work)}
    return ref, fast


def test_fast_equals_pyshacl_on_all_rule_fixtures(tmp_path):
    """Every violating fixture, each under its own base IRI, in one store: one pyshacl run."""
    store = CatalogStore()
    n = 0
    for i, (_, _, bad, _good, _) in enumerate(CASES):
        for j, edit in enumerate((bad,)):
            cat = Catalog.base()
            if edit is not None:
                edit(cat)
            base = f"https://case{i}-{j}.yishu.example/"
            if cat.add_triples:
                cat.add_triples = [t.replace("https://data.yishu.example/", base)
                                   for t in cat.add_triples]
            cat.drop = [(s.replace("https://data.yishu.example/", base), p) for s, p in cat.drop]
            sub = cat.build(tmp_path / f"c{i}-{j}", base=base)
            store.load_rdf(sub.export("nt"), "nt", f"case{i}-{j}")
            n += 1
    ref, fast = _raw_both(store)
    assert len({k[0] for k in ref}) >= len({c[1] for c in CASES})  # every rule fires
    assert fast == ref


def test_fast_equals_pyshacl_on_small(small_store):
    ref, fast = _raw_both(small_store)
    assert ref and fast == ref


@pytest.mark.parametrize("dept", ["YX-TJ"])
def test_department_slice_matches_whole_catalog(demo_store, dept):
    whole = audit(demo_store, as_of="2025-11-20")
    part = audit(demo_store, as_of="2025-11-20", department=dept, engine="pyshacl")
    fast_part = audit(demo_store, as_of="2025-11-20", department=dept)
    expected = {(f.rule, f.focus_ref) for f in whole.findings if f.department == dept}
    assert expected
    assert part.keys() == expected == fast_part.keys()
    assert fast_part.scores[None].score == whole.scores[dept].score


def test_every_department_audit_equals_the_whole_catalog_audit(demo_store):
    """A department is audited on its slice, read from the catalog without copying all of it:
    for every department of the demo, exactly the findings (messages and values too), scores
    and figures the whole-catalog audit gives that department."""
    whole = audit(demo_store, as_of="2025-11-20")
    assert len(whole.departments) > 20
    for dept in whole.departments:
        part = audit(demo_store, as_of="2025-11-20", department=dept)
        assert part.departments == {dept: whole.departments[dept]}
        assert [f.as_dict() for f in part.findings] == [
            f.as_dict() for f in whole.findings if f.department == dept], dept
        assert part.scores[dept] == part.scores[None] == whole.scores[dept], dept
        assert part.figures.get(dept) == whole.figures.get(dept), dept  # None: nothing counted
        if dept in whole.figures:
            assert part.figures[None] == whole.figures[dept], dept


@pytest.mark.parametrize("threads", [1, 2])
def test_working_store_is_the_union_of_the_current_sources(tmp_path, threads):
    """The audit's copy holds exactly the current versions of the sources (no registry, no
    replaced version), merged into the default graph, and a blank node stays one node."""
    from pyoxigraph import BlankNode, DefaultGraph

    store = CatalogStore(tmp_path / "store")
    store.load_rdf(b'<http://x/a> <http://x/p> _:b .\n_:b <http://x/q> "1" .\n'
                   b'_:b <http://x/r> <http://x/c> .\n', "nt", "one")
    store.load_rdf(b'<http://x/d> <http://x/p> "2" .\n', "nt", "two")
    store.load_rdf(b'<http://x/d> <http://x/p> "3" .\n', "nt", "two")  # replaces "2"
    work = working_store(store, threads=threads)
    quads = list(work)
    assert all(q.graph_name == DefaultGraph() for q in quads)
    blanks = {t for q in quads for t in (q.subject, q.object) if isinstance(t, BlankNode)}
    assert len(blanks) == 1  # renamed by the copy (labels are per document), but one node
    b = blanks.pop()
    x = "http://x/"
    assert {(str(q.subject), str(q.predicate), str(q.object)) for q in quads} == {
        (f"<{x}a>", f"<{x}p>", str(b)), (str(b), f"<{x}q>", '"1"'),
        (str(b), f"<{x}r>", f"<{x}c>"), (f"<{x}d>", f"<{x}p>", '"3"')}


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_the_audit_reports_its_progress_to_the_end(small_store, engine):
    """The CLI's progress bar: as many steps done as announced (copy, shapes, scores)."""
    seen: dict[str, int] = {}

    def factory(total: int):
        seen.update(total=total, done=0)

        def update(n: int) -> None:
            seen["done"] += n

        return update

    audit(small_store, as_of=AS_OF, engine=engine, progress_factory=factory)
    assert seen["total"] >= 3 and seen["done"] == seen["total"]
    if engine == "fast":
        assert seen["total"] > 30  # one step per shape
