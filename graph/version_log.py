"""The version records of one store (:mod:`graph.history`): read from the registry graph once,
then the newest record of each source kept in memory with the order number of the last one, so
a write stamps and numbers its record without reading them all again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pyoxigraph import NamedNode

from graph import history as hist

__all__ = ["FUTURE_SKEW", "VersionLog"]

FUTURE_SKEW = dt.timedelta(minutes=5)  # clocks of the machines stamping versions may differ


class VersionLog:
    def __init__(self, read: Callable[[], list[hist.Record]], source_name: Callable[[str], str]):
        self._read = read  # every record in the registry (holds no handle: closing frees the store)
        self._source_name = source_name
        self._latest: dict[str, hist.Record] | None = None  # source IRI -> its newest record
        self._seq = 0  # order of the last version record written

    def records(self) -> list[hist.Record]:
        """Every record in the registry, oldest first."""
        return self._read()

    def latest(self) -> dict[str, hist.Record]:
        """Source IRI -> its newest record."""
        if self._latest is None:
            records = self.records()
            self._latest = {r.source_iri: r for r in records}
            self._seq = max((r.info.seq for r in records), default=0)
        return self._latest

    def remember(self, rec: hist.Record) -> None:
        """Note a record written (or about to be, in the same transaction)."""
        self.latest()[rec.source_iri] = rec
        self._seq = max(self._seq, rec.info.seq)

    def forget(self) -> None:
        """Records were rewritten (compaction) or not written after all: read them again."""
        self._latest = None

    def stamp(self, src: str) -> tuple[dt.datetime, str | None]:
        """(time, actor) of the version about to be written: the stamp set by the face
        (:func:`graph.history.stamped`), else now; never earlier than the source's latest."""
        at, actor = hist.stamp()
        latest = self.latest().get(src)
        now = dt.datetime.now(dt.UTC)
        if at is None:
            at = now
        elif at > now + FUTURE_SKEW:  # a version that has not happened yet would come before
            # every later load stamped "now" and leave the history out of time order
            raise hist.HistoryError(
                f"版本时间 {at.isoformat()} 晚于当前时间，已拒绝",
                f"version time {at.isoformat()} is in the future; refused", "AT_IN_FUTURE")
        elif latest is not None and at < latest.info.at:
            name = self._source_name(src)
            raise hist.HistoryError(
                f"版本时间 {at.isoformat()} 早于来源 {name} 的最新版本 "
                f"{latest.info.at.isoformat()}，已拒绝",
                f"version time {at.isoformat()} is earlier than the latest version of "
                f"{name} ({latest.info.at.isoformat()}); refused", "AT_TOO_EARLY")
        return at, actor

    def record(self, src: str, source: str, rid: str, at: dt.datetime, actor: str | None,
               operation: str, added: int, removed: int, added_graph: NamedNode | None,
               removed_graph: NamedNode | None, base: bool = False) -> hist.Record:
        """The next record (numbered after the last one) of a write to ``src``."""
        self.latest()
        info = hist.VersionInfo(rid, source, at, actor, operation, added, removed,
                                seq=self._seq + 1)
        return hist.Record(f"{src}/h/{rid}", src, info,
                           added_graph.value if added_graph is not None else None,
                           removed_graph.value if removed_graph is not None else None, base)
