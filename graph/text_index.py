"""An in-memory text index for search: every entity's code, name and (elements) synonyms,
lower-cased and joined into one string, so that "which entities contain this text" is a few
``str.find`` calls in C instead of a SPARQL scan with ``CONTAINS`` over every label (city: 1–2 s
per keystroke of the search box). It is a pre-filter: each candidate is checked again with the
exact rule of a search (code, name or an element's synonym contains the text), so answers are the
same as without it. Built once per store version by the engine that owns it."""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["Entry", "TextIndex", "VersionedIndexes"]

_SEP = "\x1f"  # between the texts of one entity
_END = "\x1e"  # between entities


@dataclass(frozen=True)
class Entry:
    iri: str
    classes: tuple[str, ...]  # sorted class IRIs
    code: str
    label: str | None  # the smallest name
    synonyms: tuple[str, ...]  # sorted skos:altLabel values


class TextIndex:
    def __init__(self, rows: Iterable[dict[str, str | None]], element_class: str):
        """``rows``: (s, class, code, label, syn) solutions, several per entity."""
        grouped: dict[str, list[dict[str, str | None]]] = defaultdict(list)
        for r in rows:
            grouped[str(r["s"])].append(r)
        self.entries: list[Entry] = []
        parts: list[str] = []
        self._starts: list[int] = []
        pos = 0
        for iri in sorted(grouped):
            rs = grouped[iri]
            labels = sorted({str(r["label"]) for r in rs if r["label"] is not None})
            entry = Entry(iri, tuple(sorted({str(r["class"]) for r in rs})),
                          min(str(r["code"]) for r in rs), labels[0] if labels else None,
                          tuple(sorted({str(r["syn"]) for r in rs if r["syn"] is not None})))
            texts = [entry.code, entry.label or ""]
            if element_class in entry.classes:
                texts += entry.synonyms
            text = _SEP.join(t.lower() for t in texts) + _END
            self.entries.append(entry)
            self._starts.append(pos)
            parts.append(text)
            pos += len(text)
        self._blob = "".join(parts)

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def usable(text: str) -> bool:
        """Whether the index can answer ``text`` (the separators cannot be searched for)."""
        return bool(text) and _SEP not in text and _END not in text

    def containing(self, text: str) -> list[Entry]:
        """The entries some of whose texts contain ``text`` (lower-cased already), each once,
        in IRI order."""
        found: list[Entry] = []
        last = -1
        blob, starts = self._blob, self._starts
        i = blob.find(text)
        while i != -1:
            n = bisect_right(starts, i) - 1
            if n != last:
                found.append(self.entries[n])
                last = n
            # go on from the next entity: one hit per entity is enough
            nxt = starts[n + 1] if n + 1 < len(starts) else len(blob)
            i = blob.find(text, max(i + 1, nxt))
        return found


class _Slot:
    """One store version's index, built once under its own lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: TextIndex | None = None


class VersionedIndexes:
    """The search index per store version, the last ``kept`` versions kept: requests pinning
    the replaced version and the new one run side by side during a load, and neither waits for
    (or throws away) the other's index."""

    def __init__(self, kept: int = 2) -> None:
        self.kept = kept
        self._slots: OrderedDict[object, _Slot] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version: object, build: Callable[[], TextIndex]) -> TextIndex:
        """The index of ``version``, built by ``build()`` on first use."""
        with self._lock:
            slot = self._slots.get(version)
            if slot is None:
                slot = self._slots[version] = _Slot()
                while len(self._slots) > self.kept:
                    self._slots.popitem(last=False)
            else:
                self._slots.move_to_end(version)
        with slot.lock:  # one build per version; readers of other versions do not wait
            if slot.index is None:
                slot.index = build()
            return slot.index

    def __len__(self) -> int:
        return len(self._slots)

    def versions(self) -> list[object]:
        return list(self._slots)
