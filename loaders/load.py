"""Loading a source into the store: the template (CSV folder, XLSX, ZIP) or RDF files.

Each load replaces what the same source loaded before, atomically. The source name defaults
to the file or folder name (a department's catalog folder ``JT-001`` loads as source ``JT-001``).
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from graph.store import CatalogStore
from loaders.errors import CellError, TemplateError
from loaders.offload import LoadCrashed, check_upload_name, map_in_child, read_upload
from loaders.readers import Table, read_template
from loaders.template import map_template

__all__ = ["LoadReport", "load_path", "load_tables", "load_upload", "RDF_SUFFIXES", "source_name"]

RDF_SUFFIXES = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld",
                ".nq": "nquads", ".trig": "trig"}


@dataclass
class LoadReport:
    source: str
    kind: str  # "template" or "rdf"
    rows: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)  # CSV file -> encoding read

    @property
    def triples_per_second(self) -> float:
        return self.triples / self.seconds if self.seconds else 0.0


def source_name(path: Path) -> str:
    path = Path(path)
    return path.name if path.is_dir() else path.stem


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a load. A load allocates millions of
    small objects (parsed cells, RDF terms) that live until it ends, and the collector would
    traverse them again and again: at city scale that is a fifth of the load time. Reference
    counting still frees everything as usual; the collector runs again once the load is over."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reserved(source: str) -> None:
    """The observed-lineage source only grows from events: a load must not replace it."""
    from loaders.openlineage import SOURCE

    if source == SOURCE:
        raise TemplateError([CellError(source, None, None, None,
                                       f"来源名称 {SOURCE} 保留给观测血缘（OpenLineage 事件）",
                                       f"the source name {SOURCE} is reserved for observed "
                                       "lineage (OpenLineage events)")])


def load_tables(store: CatalogStore, tables: list[Table], source: str,
                progress: Callable[[int], None] | None = None) -> LoadReport:
    _reserved(source)
    t0 = time.perf_counter()
    version = store.new_version(source)
    writer = store.writer(version)
    try:
        with _gc_paused():
            _, mapped = map_template(tables, base=store.base,
                                     resolver=store.owner_resolver(replacing=source),
                                     progress=progress, graph=version, sink=writer.put)
        n = writer.close()
    except BaseException:
        store.discard_version(version)
        raise
    store.activate(source, version, n)
    return LoadReport(source, "template", mapped.rows, n, time.perf_counter() - t0,
                      mapped.warnings, {t.where: t.encoding for t in tables if t.encoding})


def total_rows(tables: list[Table]) -> int:
    return sum(len(t.rows) for t in tables)


def load_path(store: CatalogStore, path: Path, source: str | None = None,
              progress_factory: Callable[[int], Callable[[int], None]] | None = None) -> LoadReport:
    """Load a template (folder, .xlsx, .zip) or an RDF file as one source."""
    path = Path(path)
    source = source or source_name(path)
    if not path.exists():
        raise TemplateError([CellError(str(path), None, None, None, "路径不存在",
                                       "path does not exist")])
    fmt = RDF_SUFFIXES.get(path.suffix.lower()) if path.is_file() else None
    if fmt is not None:
        _reserved(source)
        t0 = time.perf_counter()
        try:
            n = store.load_rdf(path.read_bytes(), fmt, source)
        except SyntaxError as e:
            raise TemplateError([CellError(path.name, None, None, None, f"RDF 语法错误：{e}",
                                           f"RDF syntax error: {e}")]) from None
        return LoadReport(source, "rdf", {}, n, time.perf_counter() - t0)
    with _gc_paused():
        tables = read_template(path)
    progress = progress_factory(total_rows(tables)) if progress_factory else None
    return load_tables(store, tables, source, progress)


def load_upload(store: CatalogStore, data: bytes, filename: str, source: str, *,
                in_child: bool | None = None) -> LoadReport:
    """Load an uploaded template: a ZIP of CSV files or an XLSX workbook. By default it is
    read, validated and mapped in a child process at a lower priority and only the N-Triples
    come back (:mod:`loaders.offload`): the server's readers keep the interpreter.
    ``YISHU_UPLOAD_IN_PROCESS=1`` makes the default the old in-process way (for
    benchmarks/bench_reads_during_upload.py, which measures both)."""
    check_upload_name(filename)
    if in_child is None:
        in_child = os.environ.get("YISHU_UPLOAD_IN_PROCESS", "") not in ("1", "true", "yes")
    if not in_child:
        return load_tables(store, read_upload(data, filename), source)
    _reserved(source)
    t0 = time.perf_counter()
    version = store.new_version(source)
    writer = store.writer(version)
    try:
        others = set(store.current_versions()) - {store.graph_of(source)}
        resolver = store.owner_resolver(replacing=source) if others else None
        result = map_in_child(data, filename, store.base, resolver, writer.put_ntriples)
        n = writer.close()
        if n != result.triples:
            raise LoadCrashed(f"导入子进程送回 {n} 个三元组，应为 {result.triples} / the load "
                              f"process sent {n} triples instead of {result.triples}")
    except BaseException:
        store.discard_version(version)
        raise
    store.activate(source, version, n)
    return LoadReport(source, "template", result.rows, n, time.perf_counter() - t0,
                      result.warnings, result.encodings)
