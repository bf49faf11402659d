"""Read-only SPARQL over the store in worker processes, with a time limit that really stops the
work and a row limit, over the view of the catalog one caller may see.

pyoxigraph cannot interrupt a running query, and a thread cannot be killed, so each query runs
in a worker process (spawned, so it shares nothing with the server's threads) that opens the
on-disk store read-only (a RocksDB read-only handle, reopened when the store's version changes).
When a query passes its time limit the worker is killed (SIGKILL: its CPU and memory are freed
at once) and a fresh one is started for the next query; the server itself never waits on it
beyond the limit.

The view: a caller who may not see some entities (涉密 entries) or some fields (persons,
phones) queries a catalog without them — no triple whose subject is hidden, none pointing at a
hidden entity, none with a dropped predicate; observed datasets declared by a hidden resource,
their fields and the flows and field derivations touching them are hidden with it. That catalog
is a checkpoint of the store with those triples removed (:mod:`graph.sandbox_views`), made in
the server and opened read-only by the workers, so a query can only ever reach what its view
holds: FILTERs, aggregates, property paths, ``FROM`` and ``GRAPH`` included. It is made again
when a source is (re)loaded and, when sources only grew (observed lineage arriving all the
time), at most every ``view_refresh`` seconds: a restricted caller may see observed lineage that
much late. Callers who may see everything query the store itself, always current."""

from __future__ import annotations

import multiprocessing as mp
import queue
import threading
from dataclasses import dataclass
from pathlib import Path

from graph.sandbox_views import ViewStores

__all__ = ["QueryRunner", "SandboxError", "View", "FORMATS"]

# name -> (media type, kind: "solutions" or "graph")
FORMATS = {
    "json": ("application/sparql-results+json", "solutions"),
    "xml": ("application/sparql-results+xml", "solutions"),
    "csv": ("text/csv; charset=utf-8", "solutions"),
    "tsv": ("text/tab-separated-values; charset=utf-8", "solutions"),
    "turtle": ("text/turtle; charset=utf-8", "graph"),
    "ntriples": ("application/n-triples", "graph"),
    "jsonld": ("application/ld+json", "graph"),
}


class SandboxError(Exception):
    """A query refused or stopped: ``code`` (TIMEOUT, TOO_MANY_ROWS, SYNTAX, BUSY, …) and a
    message in zh and en."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.code, self.zh, self.en = code, zh, en


@dataclass(frozen=True)
class View:
    """What a caller may not see: entity IRIs and predicate IRIs. ``key`` names the view."""

    key: str
    hidden: frozenset[str] = frozenset()
    dropped: frozenset[str] = frozenset()
    hidden_sources: frozenset[str] = frozenset()  # load sources' graph IRIs left out whole

    @property
    def everything(self) -> bool:
        return not self.hidden and not self.dropped and not self.hidden_sources


# -- the worker ---------------------------------------------------------------------------------

def _worker(conn, path: str) -> None:  # pragma: no cover - runs in the worker process
    import time
    from collections import OrderedDict

    from pyoxigraph import Store

    store = None
    version = None
    views: OrderedDict[str, Store] = OrderedDict()  # a view's folder -> its read-only handle
    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        ver, graphs, view_path, sparql, fmt, rows = msg
        try:
            started = False
            for attempt in range(_ATTEMPTS):
                try:
                    if view_path is None:
                        if ver != version or store is None:
                            store = Store.read_only(path)
                            version = ver
                        target = store
                    else:  # a view's folder never changes once made
                        target = views.get(view_path)
                        if target is None:
                            target = views[view_path] = Store.read_only(view_path)
                            while len(views) > _VIEWS_OPEN:
                                views.popitem(last=False)
                        views.move_to_end(view_path)
                    if not started:
                        conn.send(("started",))
                        started = True
                    result = _run(target, graphs, sparql, fmt, rows)
                    break
                except (OSError, RuntimeError) as e:
                    # a read-only handle can lose a file to the writer's compaction (RocksDB:
                    # "Corruption: IO error: No such file or directory" for an .sst, raised by
                    # pyoxigraph as RuntimeError): open the store again and retry
                    if attempt + 1 == _ATTEMPTS or "No such file" not in str(e):
                        raise
                    store, version = None, None
                    views.clear()
                    time.sleep(0.05 * (attempt + 1))
            conn.send(("ok", result))
        except SandboxError as e:
            conn.send(("error", e.code, e.zh, e.en))
        except SyntaxError as e:
            conn.send(("error", "SYNTAX", f"SPARQL 语法错误：{e}", f"SPARQL syntax error: {e}"))
        except Exception as e:  # noqa: BLE001 - reported to the caller without a trace
            conn.send(("error", "QUERY_FAILED", f"查询失败：{type(e).__name__}: {e}",
                       f"query failed: {type(e).__name__}: {e}"))


_VIEWS_OPEN = 4  # views' read-only handles a worker keeps open
_ATTEMPTS = 3  # opens of the read-only handle per question (see the worker loop)


def _run(store, graphs: list[str], sparql: str, fmt: str | None, rows: int
         ) -> tuple[str, bytes]:
    from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions

    names = [NamedNode(g) for g in graphs]
    res = store.query(sparql, default_graph=names or None, named_graphs=names)
    if isinstance(res, QueryBoolean):
        fmt = fmt if fmt in ("json", "xml", "csv", "tsv") else "json"
        return fmt, _boolean(bool(res), fmt)
    if isinstance(res, QuerySolutions):
        fmt = fmt if fmt is not None and FORMATS[fmt][1] == "solutions" else "json"
        variables = [v.value for v in res.variables]
        table = []
        for sol in res:
            if len(table) >= rows:
                raise _too_many(rows)
            table.append([sol[v] for v in variables])
        return fmt, _solutions(variables, table, fmt)
    fmt = fmt if fmt is not None and FORMATS[fmt][1] == "graph" else "turtle"
    triples = []
    for t in res:
        if len(triples) >= rows:
            raise _too_many(rows)
        triples.append(t)
    from graph.store import serialize_triples

    return fmt, serialize_triples(triples, fmt)


def _too_many(rows: int) -> SandboxError:
    return SandboxError("TOO_MANY_ROWS", f"结果超过 {rows} 行的上限，请加 LIMIT 或缩小查询范围",
                        f"the result has more than {rows} rows, the limit; add a LIMIT or narrow "
                        "the query")


def _term_json(t) -> dict:
    from pyoxigraph import BlankNode, Literal, NamedNode

    if isinstance(t, NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = t.datatype.value
        return out
    return {"type": "triple", "value": str(t)}


def _xml_term(t) -> str:
    from xml.sax.saxutils import escape, quoteattr

    j = _term_json(t)
    if j["type"] == "uri":
        return f"<uri>{escape(j['value'])}</uri>"
    if j["type"] == "bnode":
        return f"<bnode>{escape(j['value'])}</bnode>"
    attr = (f" xml:lang={quoteattr(j['xml:lang'])}" if "xml:lang" in j else
            f" datatype={quoteattr(j['datatype'])}" if "datatype" in j else "")
    return f"<literal{attr}>{escape(j['value'])}</literal>"


def _boolean(value: bool, fmt: str) -> bytes:
    import json

    if fmt == "xml":
        return (f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    if fmt in ("csv", "tsv"):
        return ("_askResult\n" + ("true" if value else "false") + "\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


def _solutions(variables: list[str], table: list[list], fmt: str) -> bytes:
    import csv
    import io
    import json

    if fmt == "json":
        bindings = [{v: _term_json(t) for v, t in zip(variables, row, strict=True)
                     if t is not None} for row in table]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        from xml.sax.saxutils import quoteattr

        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                 "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables),
                 "</head><results>"]
        for row in table:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row, strict=True) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(variables)
        for row in table:
            w.writerow(["" if t is None else t.value for t in row])
        return buf.getvalue().encode("utf-8")
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in table]
    return ("\n".join(lines) + "\n").encode("utf-8")


# -- the runner (server side) -------------------------------------------------------------------

class _Worker:
    def __init__(self, ctx, path: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, path), daemon=True,
                                name="yishu-sparql")
        self.proc.start()
        child.close()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class QueryRunner:
    """``run(sparql, view, fmt)`` → (format, bytes) from a pool of ``workers`` processes over
    the on-disk store at ``path``; each query may take ``seconds`` and give ``rows`` rows."""

    def __init__(self, store, *, seconds: float = 10, rows: int = 10_000, workers: int = 2,
                 prepare_seconds: float = 600, view_refresh: float = 5):
        if store.path is None:
            raise ValueError("SPARQL runs over an on-disk store")
        self.store = store
        self.path = str(Path(store.path).resolve())
        self.seconds, self.rows = seconds, rows
        self.prepare_seconds = prepare_seconds
        self.view_refresh = view_refresh
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(max(1, workers)):
            self._idle.put(None)  # started on first use
        self._closed = False
        self.killed = 0  # workers stopped at the time limit (for the benchmarks and tests)
        self._lock = threading.Lock()
        self._views: ViewStores | None = None

    @property
    def views(self) -> ViewStores:
        with self._lock:
            if self._views is None:
                self._views = ViewStores(self.store, refresh=self.view_refresh)
            return self._views

    def _version(self) -> tuple[tuple[str, str, int], ...]:
        return tuple((s.graph, s.version, s.triples) for s in self.store.sources())

    def run(self, sparql: str, view: View, fmt: str | None = None) -> tuple[str, bytes]:
        try:
            worker = self._idle.get(timeout=self.seconds)
        except queue.Empty:
            raise SandboxError("BUSY", "SPARQL 查询繁忙，请稍后再试",
                               "all SPARQL workers are busy; try again shortly") from None
        try:
            if worker is None or not worker.proc.is_alive():
                worker = _Worker(self._ctx, self.path)
            version = self._version()
            loads = tuple((g, v) for g, v, _ in version if g not in view.hidden_sources)
            graphs = [v for _, v in loads]
            if view.everything:
                self.store.flush_appends()  # the worker may open a new handle: a short log
                view_path = None
            else:  # made here once per store version (sandbox_views), not per worker
                try:
                    view_path = self.views.path(view, loads, version)
                except OSError as e:
                    raise SandboxError("VIEW_FAILED", f"无法准备查询视图：{e}",
                                       f"the query's view could not be made: {e}") from None
            worker.conn.send((version, graphs, view_path, sparql, fmt, self.rows))
            # opening the store or the view is not the query's time: the limit starts when the
            # worker starts the query
            if not worker.conn.poll(self.prepare_seconds):
                raise EOFError
            started = worker.conn.recv()
            if started[0] != "started":
                reply = started
            elif not worker.conn.poll(self.seconds):
                worker.kill()
                worker = None
                with self._lock:
                    self.killed += 1
                raise SandboxError("TIMEOUT", f"查询超过 {self.seconds:g} 秒的时限，已终止",
                                   f"the query ran past the {self.seconds:g} s limit and was "
                                   "stopped")
            else:
                reply = worker.conn.recv()
        except (EOFError, BrokenPipeError, OSError):
            if worker is not None:
                worker.kill()
            worker = None
            raise SandboxError("QUERY_FAILED", "查询进程意外退出", "the query worker died") \
                from None
        finally:
            self._idle.put(worker)
        if reply[0] == "ok":
            return reply[1]
        raise SandboxError(reply[1], reply[2], reply[3])

    def close(self) -> None:
        while True:
            try:
                w = self._idle.get_nowait()
            except queue.Empty:
                break
            if w is not None:
                try:
                    w.conn.send(None)
                except OSError:
                    pass
                w.kill()
        if self._views is not None:
            self._views.close()
