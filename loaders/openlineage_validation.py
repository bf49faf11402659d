"""Validation of OpenLineage events (spec 2-0-2) against the spec's own JSON Schemas.

An event is checked against ``OpenLineage.json`` (``openlineage_spec/``, unchanged copies of the
published files), its ``schema`` and ``columnLineage`` dataset facets against theirs, with the
formats checked (``eventTime`` RFC 3339 with an offset, ``runId`` a UUID, ``producer`` a URI).
Every problem is reported with the JSON path where it is (``$.run.runId``; ``$[3].eventTime`` in
a batch). The schemas compiled once by ``jsonschema-rs`` answer a valid event; only an event they
refuse goes through the full ``jsonschema`` validation, which names every problem.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

__all__ = ["SPEC_DIR", "EventProblem", "EventError", "validate", "valid_at_once", "event_kind",
           "parse_time"]

SPEC_DIR = Path(__file__).resolve().parent / "openlineage_spec"
_OL = "https://openlineage.io/spec/2-0-2/OpenLineage.json"
_FACETS = {
    "schema": "https://openlineage.io/spec/facets/1-2-0/SchemaDatasetFacet.json"
              "#/$defs/SchemaDatasetFacet",
    "columnLineage": "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"
                     "#/$defs/ColumnLineageDatasetFacet",
}


@dataclass(frozen=True)
class EventProblem:
    path: str  # JSON path, e.g. $.run.runId or $[3].eventTime in a batch
    zh: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "zh": self.zh, "en": self.en,
                "message": f"{self.path}: {self.zh} / {self.en}"}


class EventError(ValueError):
    """Events refused (nothing stored), with every problem found."""

    def __init__(self, problems: list[EventProblem]):
        super().__init__("; ".join(p.as_dict()["message"] for p in problems[:5]))
        self.problems = problems


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$")
_FORMATS = FormatChecker(formats=())


@_FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_RFC3339.match(value)) and parse_time(value) is not None


@_FORMATS.checks("uuid", raises=ValueError)
def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return len(value) == 36 and str(uuid.UUID(value)) == value.lower()


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(_URI.match(value))


def parse_time(value: str) -> dt.datetime | None:
    try:
        t = dt.datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
    except ValueError:
        return None
    return t if t.tzinfo is not None else None


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = []
    for name in ("OpenLineage.json", "SchemaDatasetFacet.json", "ColumnLineageDatasetFacet.json"):
        schema = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
        resources.append((schema["$id"], Resource.from_contents(schema)))
    return Registry().with_resources(resources)


@lru_cache(maxsize=8)
def _validator(ref: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": ref}, registry=_registry(), format_checker=_FORMATS)


def _path(parts: Iterable[object], prefix: str) -> str:
    out = prefix
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        elif re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(p)):
            out += f".{p}"
        else:
            out += "[" + json.dumps(str(p), ensure_ascii=False) + "]"
    return out


def _short(value: object) -> str:
    s = json.dumps(value, ensure_ascii=False, default=str)
    return s if len(s) <= 80 else s[:77] + "…"


_TYPE_ZH = {"string": "字符串", "object": "对象", "array": "数组", "boolean": "布尔值",
            "integer": "整数", "number": "数字"}


def _problems(err: ValidationError, prefix: str) -> list[EventProblem]:
    """Leaf problems of one error (anyOf/oneOf errors give their branches' problems)."""
    if err.context:
        out: list[EventProblem] = []
        for sub in err.context:
            out += [p for p in _problems(sub, prefix) if p not in out]
        return out
    path = _path(err.absolute_path, prefix)
    v, want = err.validator, err.validator_value
    if v == "required":
        m = re.match(r"^'(.+)' is a required property$", err.message)
        name = m.group(1) if m else str(want)
        return [EventProblem(_path([name], path), "缺少必填字段",
                             "required property missing")]
    if v == "type":
        kinds = want if isinstance(want, list) else [want]
        zh = "或".join(_TYPE_ZH.get(k, k) for k in kinds)
        return [EventProblem(path, f"类型应为{zh}，实为 {_short(err.instance)}",
                             f"must be of type {' or '.join(kinds)}, got {_short(err.instance)}")]
    if v == "format":
        return [EventProblem(path, f"格式应为 {want}，实为 {_short(err.instance)}",
                             f"must be a {want}, got {_short(err.instance)}")]
    if v == "enum":
        allowed = "、".join(map(str, want))
        return [EventProblem(path, f"取值应为 {allowed} 之一，实为 {_short(err.instance)}",
                             f"must be one of {', '.join(map(str, want))}, got "
                             f"{_short(err.instance)}")]
    if v == "not":
        return [EventProblem(path, "含有此类事件不允许的字段（DatasetEvent 不含 job、run；JobEvent "
                             "不含 run）", "has a field this kind of event must not have "
                             "(a DatasetEvent has no job or run; a JobEvent no run)")]
    return [EventProblem(path, "不符合 OpenLineage 2-0-2 规范", err.message[:200])]


def event_kind(event: dict) -> str:
    if "run" in event or "eventType" in event:
        return "RunEvent"
    if "dataset" in event:
        return "DatasetEvent"
    return "JobEvent"


def _dataset_places(event: dict) -> Iterable[tuple[list[object], dict]]:
    for key in ("inputs", "outputs"):
        for i, ds in enumerate(event.get(key) or []):
            if isinstance(ds, dict):
                yield [key, i], ds
    if isinstance(event.get("dataset"), dict):
        yield ["dataset"], event["dataset"]


def validate(event: object, prefix: str = "$", *, fast: bool = True) -> list[EventProblem]:
    """Every problem of one event (empty when it is a valid RunEvent, DatasetEvent or JobEvent
    of spec 2-0-2 whose ``schema`` and ``columnLineage`` facets follow their schemas).

    An event is first checked by the same schemas compiled once by ``jsonschema-rs`` (with the
    same three format checks); only when that finds a problem — or ``fast`` is False — does the
    full ``jsonschema`` validation run, which names every problem with its path. The fast check
    may be stricter (it checks formats the full one leaves alone), never laxer: an event it
    refuses gets exactly the full validation's answer."""
    if fast and isinstance(event, dict) and _fast_valid(event):
        return []
    if not isinstance(event, dict):
        return [EventProblem(prefix, f"事件应为 JSON 对象，实为 {_short(event)}",
                             f"an event must be a JSON object, got {_short(event)}")]
    problems: list[EventProblem] = []
    for err in _validator(f"{_OL}#/$defs/{event_kind(event)}").iter_errors(event):
        problems += [p for p in _problems(err, prefix) if p not in problems]
    for where, ds in _dataset_places(event):
        facets = ds.get("facets")
        if not isinstance(facets, dict):
            continue
        for name, ref in _FACETS.items():
            if name in facets:
                at = _path([*where, "facets", name], prefix)
                found = [p for err in _validator(ref).iter_errors(facets[name])
                         for p in _problems(err, at)]
                problems += [p for p in found if p not in problems]
    return problems


def _checked(check):
    """A format check for jsonschema-rs: False where the jsonschema check raises."""
    def run(value: object) -> bool:
        try:
            return bool(check(value))
        except ValueError:
            return False
    return run


@lru_cache(maxsize=8)
def _fast_validator(ref: str):
    import jsonschema_rs

    resources = []
    for name in ("OpenLineage.json", "SchemaDatasetFacet.json", "ColumnLineageDatasetFacet.json"):
        schema = json.loads((SPEC_DIR / name).read_text(encoding="utf-8"))
        resources.append((schema["$id"], schema))
    return jsonschema_rs.Draft202012Validator(
        {"$ref": ref}, registry=jsonschema_rs.Registry(resources), validate_formats=True,
        formats={"date-time": _checked(_is_datetime), "uuid": _checked(_is_uuid),
                 "uri": _checked(_is_uri)})


def valid_at_once(events: list[object]) -> bool:
    """Whether the compiled schemas accept every one of ``events`` (so that :func:`validate`
    answers at once, without the full validation that names each problem)."""
    return all(isinstance(ev, dict) and _fast_valid(ev) for ev in events)


def _fast_valid(event: dict) -> bool:
    try:
        if not _fast_validator(f"{_OL}#/$defs/{event_kind(event)}").is_valid(event):
            return False
        for _where, ds in _dataset_places(event):
            facets = ds.get("facets")
            if isinstance(facets, dict):
                for name, ref in _FACETS.items():
                    if name in facets and not _fast_validator(ref).is_valid(facets[name]):
                        return False
    except Exception:  # noqa: BLE001 - anything unexpected: the full validation decides
        return False
    return True
