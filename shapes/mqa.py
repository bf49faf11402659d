"""The EU Metadata Quality Assessment (MQA, 405 points) over the catalog's DCAT-AP view.

Each indicator scores the share of datasets (or of distributions) that meet it, times its points
(weights and rating bands: ../shared/standards/README.md, from data.europa.eu). The two
indicators that need the network — accessURL and downloadURL answering 200 — are only checked
when asked (``check_urls``), only against URLs the catalog names, with a timeout; unchecked they
score 0 and say so. "DCAT-AP compliance" is the share of datasets with no Violation of the
official shapes (:mod:`shapes.dcat_ap`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pyoxigraph import Triple

__all__ = ["INDICATORS", "MqaScore", "mqa", "rating"]

_DCAT = "http://www.w3.org/ns/dcat#"
_DCT = "http://purl.org/dc/terms/"
_T = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_EU = "http://publications.europa.eu/resource/authority/"
_IANA = "http://www.iana.org/assignments/media-types/"
_OPEN_MEDIA = {"text/csv", "application/json", "application/xml", "text/xml",
               "application/ld+json", "text/turtle", "application/rdf+xml"}
_MACHINE_MEDIA = _OPEN_MEDIA | {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel", "application/vnd.oasis.opendocument.spreadsheet"}

# (dimension, indicator, points, over): over = "dataset" or "distribution"
INDICATORS: list[tuple[str, str, int, str]] = [
    ("findability", "keyword", 30, "dataset"), ("findability", "theme", 30, "dataset"),
    ("findability", "spatial", 20, "dataset"), ("findability", "temporal", 20, "dataset"),
    ("accessibility", "accessURL answers 200", 50, "distribution"),
    ("accessibility", "downloadURL", 20, "distribution"),
    ("accessibility", "downloadURL answers 200", 30, "distribution"),
    ("interoperability", "format", 20, "distribution"),
    ("interoperability", "mediaType", 10, "distribution"),
    ("interoperability", "format/mediaType from a vocabulary", 10, "distribution"),
    ("interoperability", "non-proprietary", 20, "distribution"),
    ("interoperability", "machine-readable", 20, "distribution"),
    ("interoperability", "DCAT-AP compliance", 30, "dataset"),
    ("reusability", "licence", 20, "distribution"),
    ("reusability", "licence from a vocabulary", 10, "distribution"),
    ("reusability", "accessRights", 10, "dataset"),
    ("reusability", "accessRights from a vocabulary", 5, "dataset"),
    ("reusability", "contactPoint", 20, "dataset"), ("reusability", "publisher", 10, "dataset"),
    ("contextuality", "rights", 5, "distribution"), ("contextuality", "byteSize", 5, "distribution"),
    ("contextuality", "issued", 5, "dataset"), ("contextuality", "modified", 5, "dataset"),
]
BANDS = [(351, "Excellent", "优秀"), (221, "Good", "良好"), (121, "Sufficient", "合格"),
         (0, "Bad", "差")]


def rating(points: float) -> tuple[str, str]:
    """(en, zh) rating band of an MQA score."""
    for floor, en, zh in BANDS:
        if points >= floor:
            return en, zh
    return BANDS[-1][1], BANDS[-1][2]


@dataclass
class MqaScore:
    scope: str  # "catalog" or a publisher IRI
    datasets: int
    distributions: int
    indicators: dict[str, float] = field(default_factory=dict)  # indicator -> points earned
    urls_checked: bool = False

    @property
    def points(self) -> float:
        return round(sum(self.indicators.values()), 1)

    @property
    def rating(self) -> tuple[str, str]:
        return rating(self.points)

    def by_dimension(self) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for dim, name, _pts, _over in INDICATORS:
            out[dim] += self.indicators.get(name, 0.0)
        return {k: round(v, 1) for k, v in out.items()}


def mqa(triples: Iterable[Triple], violating: set[str] | None = None,
        url_ok: Callable[[str], bool] | None = None) -> dict[str, MqaScore]:
    """MQA for the whole catalog (key ``"catalog"``) and per publisher (key: its IRI).
    ``violating``: datasets with a DCAT-AP Violation; ``url_ok``: checks a URL (None: unchecked)."""
    props: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for t in triples:
        props[t.subject.value][t.predicate.value].append(t.object)
    datasets = sorted(s for s, p in props.items()
                      if any(o.value == _DCAT + "Dataset" for o in p.get(_T, ())))
    violating = violating or set()
    scopes: dict[str, list[str]] = {"catalog": datasets}
    for d in datasets:
        for pub in props[d].get(_DCT + "publisher", ()):
            scopes.setdefault(pub.value, []).append(d)
    checked: dict[str, bool] = {}

    def ok(url: str) -> bool:
        if url not in checked:
            checked[url] = bool(url_ok and url_ok(url))
        return checked[url]

    def ds_test(name: str, d: str) -> bool:
        p = props[d]
        return {
            "keyword": bool(p.get(_DCAT + "keyword")), "theme": bool(p.get(_DCAT + "theme")),
            "spatial": bool(p.get(_DCT + "spatial")), "temporal": bool(p.get(_DCT + "temporal")),
            "DCAT-AP compliance": d not in violating,
            "accessRights": bool(p.get(_DCT + "accessRights")),
            "accessRights from a vocabulary": any(
                o.value.startswith(_EU + "access-right/") for o in p.get(_DCT + "accessRights", ())),
            "contactPoint": bool(p.get(_DCAT + "contactPoint")),
            "publisher": bool(p.get(_DCT + "publisher")),
            "issued": bool(p.get(_DCT + "issued")), "modified": bool(p.get(_DCT + "modified")),
        }[name]

    def dist_test(name: str, x: str) -> bool:
        p = props[x]
        media = {o.value.removeprefix(_IANA) for o in p.get(_DCAT + "mediaType", ())}
        fmts = {o.value for o in p.get(_DCT + "format", ())}
        if name == "accessURL answers 200":
            return url_ok is not None and any(ok(o.value) for o in p.get(_DCAT + "accessURL", ()))
        if name == "downloadURL answers 200":
            return url_ok is not None and any(ok(o.value)
                                              for o in p.get(_DCAT + "downloadURL", ()))
        return {
            "downloadURL": bool(p.get(_DCAT + "downloadURL")),
            "format": bool(fmts), "mediaType": bool(media),
            "format/mediaType from a vocabulary": bool(media) or any(
                f.startswith(_EU + "file-type/") for f in fmts),
            "non-proprietary": bool(media & _OPEN_MEDIA),
            "machine-readable": bool(media & _MACHINE_MEDIA),
            "licence": bool(p.get(_DCT + "license")),
            "licence from a vocabulary": any(o.value.startswith(_EU + "licence/")
                                             for o in p.get(_DCT + "license", ())),
            "rights": bool(p.get(_DCT + "rights")), "byteSize": bool(p.get(_DCAT + "byteSize")),
        }[name]

    out = {}
    for scope, ds in scopes.items():
        dists = sorted({o.value for d in ds for o in props[d].get(_DCAT + "distribution", ())})
        score = MqaScore(scope, len(ds), len(dists), urls_checked=url_ok is not None)
        for _dim, name, pts, over in INDICATORS:
            pool, test = (ds, ds_test) if over == "dataset" else (dists, dist_test)
            share = sum(test(name, x) for x in pool) / len(pool) if pool else 0.0
            score.indicators[name] = round(share * pts, 2)
        out[scope] = score
    return out
