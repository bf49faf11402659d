"""An upload read, validated and mapped in a child process at a lower priority.

The server answers readers from one Python process; an upload's own work — inflating the ZIP,
parsing CSV or XLSX, validating every cell, building the RDF terms — is pure Python and, run in
that process, holds the interpreter lock for minutes at city scale (readers' p95 4.4× idle).
Here it runs in a child (:func:`main`, ``os.nice(CHILD_NICE)``), which hands
back N-Triples chunks as the mapper produces them; the server bulk-loads each chunk with
Oxigraph's parser, which releases the interpreter lock (:meth:`VersionWriter.put_ntriples`).

The rules do not change: the same readers, limits and mapper run in the child, so a refused
upload is the same located :class:`TemplateError`, and the caller discards the version on any
error (the child's refusal, its crash, or a broken pipe), so a load stays all or nothing. The
child asks the server which other load source defines an IRI (the mapper's resolver) over the
same pipe, one question at a time, each answer cached.

Messages are pickles over the child's stdin / stdout; the server unpickles only plain values
and :class:`CellError` (:class:`_Unpickler`).
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from loaders.errors import CellError, TemplateError
from loaders.template import Resolver

__all__ = ["ChildResult", "map_in_child", "read_upload", "check_upload_name", "CHILD_NICE",
           "CHILD_COMMAND", "LoadCrashed"]

CHILD_NICE = 10  # added to the child's niceness: the server's readers come first
_ROOT = Path(__file__).resolve().parent.parent  # holds the loaders package
CHILD_COMMAND = [sys.executable, "-c", "from loaders.offload import main; main()"]


class LoadCrashed(RuntimeError):
    """The child died or broke the protocol; nothing was stored."""


@dataclass
class ChildResult:
    rows: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    warnings: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    niceness: int = 0  # the child's, as it ran


def read_upload(data: bytes, filename: str):
    """The tables of an uploaded template: a ZIP of CSV files or an XLSX workbook."""
    from loaders.readers import read_xlsx, read_zip

    if check_upload_name(filename) == "xlsx":
        return read_xlsx(io.BytesIO(data), filename)
    return read_zip(data, filename)


def check_upload_name(filename: str) -> str:
    """"zip" or "xlsx" by the file's name; a located error for anything else."""
    lower = filename.lower()
    for kind in ("xlsx", "zip"):
        if lower.endswith("." + kind):
            return kind
    raise TemplateError([CellError(filename, None, None, None,
                                   "请上传 CSV 文件的 ZIP 包或 XLSX 工作簿",
                                   "upload a ZIP of CSV files or an XLSX workbook")])


class _Unpickler(pickle.Unpickler):
    """Plain values only (str, bytes, int, list, dict, tuple, None) and CellError."""

    def find_class(self, module: str, name: str):
        if (module, name) == ("loaders.errors", "CellError"):
            return CellError
        raise pickle.UnpicklingError(f"unexpected {module}.{name} from the load child")


def _send(out: BinaryIO, message: tuple) -> None:
    pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.flush()


def map_in_child(data: bytes, filename: str, base: str, resolver: Resolver | None,
                 sink: Callable[[bytes, int], None]) -> ChildResult:
    """Read, validate and map an upload in a child process; ``sink(ntriples, count)`` gets each
    chunk as it is produced (from this thread). ``resolver`` None: no other source defines
    anything (the child asks nothing). Raises :class:`TemplateError` when the upload is
    refused and :class:`LoadCrashed` when the child fails; the caller discards what ``sink``
    wrote in either case."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
    proc = subprocess.Popen(CHILD_COMMAND, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
                            cwd=_ROOT)
    try:
        return _converse(proc, (data, filename, base, CHILD_NICE, resolver is not None),
                         resolver, sink)
    finally:
        if proc.poll() is None:
            proc.kill()
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        proc.wait()


def _converse(proc: subprocess.Popen, job: tuple, resolver: Resolver | None,
              sink: Callable[[bytes, int], None]) -> ChildResult:
    try:
        _send(proc.stdin, job)  # type: ignore[arg-type]
        while True:
            try:  # one unpickler per message: an unpickler's memo outlives its load()
                kind, *rest = _Unpickler(proc.stdout).load()  # type: ignore[arg-type]
            except (EOFError, pickle.UnpicklingError, ValueError) as e:
                raise LoadCrashed(f"导入子进程意外退出 / the load process ended unexpectedly "
                                  f"(exit {proc.poll()}): {e}") from None
            if kind == "resolve":
                answer = resolver(rest[0]) if resolver is not None else None
                _send(proc.stdin, (answer,))  # type: ignore[arg-type]
            elif kind == "chunk":
                sink(rest[0], rest[1])
            elif kind == "done":
                return ChildResult(*rest)
            elif kind == "refused":
                raise TemplateError(rest[0])
            else:
                raise LoadCrashed(f"导入子进程出错 / the load process failed: {rest[0] if rest else kind}")
    except (BrokenPipeError, ConnectionError) as e:
        raise LoadCrashed(f"导入子进程意外退出 / the load process ended unexpectedly "
                          f"(exit {proc.poll()}): {e}") from None


# -- the child --------------------------------------------------------------------------------
def _child(inp: BinaryIO, out: BinaryIO) -> None:
    import gc

    from pyoxigraph import RdfFormat, serialize

    from loaders.template import map_template

    data, filename, base, nice, resolving = pickle.load(inp)
    os.nice(nice)
    cache: dict[str, str | None] = {}

    def resolve(iri: str) -> str | None:
        if iri not in cache:
            _send(out, ("resolve", iri))
            cache[iri] = pickle.load(inp)[0]
        return cache[iri]

    def sink(chunk: list) -> None:
        _send(out, ("chunk", serialize(chunk, format=RdfFormat.N_TRIPLES), len(chunk)))

    gc.disable()  # millions of small objects live until the end (loaders.load._gc_paused)
    try:
        tables = read_upload(data, filename)
        del data
        _, mapped = map_template(tables, base=base, resolver=resolve if resolving else None,
                                 sink=sink)
    except TemplateError as e:
        _send(out, ("refused", e.errors))
        return
    except Exception:  # noqa: BLE001 - reported to the server, which refuses the load
        _send(out, ("failed", traceback.format_exc(limit=20)))
        return
    _send(out, ("done", mapped.rows, mapped.triples, mapped.warnings,
                {t.where: t.encoding for t in tables if t.encoding}, os.nice(0)))


def main() -> None:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the protocol
    _child(sys.stdin.buffer, out)
