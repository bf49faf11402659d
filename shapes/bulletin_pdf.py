"""The bulletin's HTML as a PDF, laid out in two parts on two cores (issue 14).

WeasyPrint lays a document out on one core, and a city's bulletin (≈ 76 pages: the ranking of
600 departments, then the departments one by one) took 23 s of it. So the document is cut where
its department sections begin (they start a new page) and the two parts are laid out at once:
the first here, the second by a worker process (``python -m shapes.bulletin_pdf``, HTML on
stdin, PDF on stdout). Then they are joined (pypdf):

- the page furniture — running header, "第 X 页 / 共 Y 页" — is left out of both parts and drawn
  once over the joined pages from a third document of as many empty pages with the same
  stylesheet (margin boxes never change how a page's content is laid out);
- the ranking's links to department sections in the second part point at their pages again;
- both parts' bookmarks are kept; title and language come from the first part.

A short document renders both parts here (a worker costs ≈ 0.7 s to start). A worker that fails
is replaced by rendering its part here, with a warning: the PDF is the same either way (tests).
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

__all__ = ["render", "cut", "PART_MARK", "WORKER_FROM", "WORKER"]

log = logging.getLogger(__name__)
PART_MARK = '<section class="bl-departments"'  # where the second part begins
HEAD_MARK = '<header class="doc-head">'  # the header whose strings the running header shows
WORKER_FROM = 30_000  # characters of the second part from which a worker pays for itself
WORKER = ["-m", "shapes.bulletin_pdf"]  # the worker's arguments to this Python
_NO_FURNITURE = ("<style>@page { @top-center { content: none } @bottom-center { content: none } }"
                 "</style>")
_HIDDEN = ('<header class="doc-head" style="visibility: hidden; height: 0; overflow: hidden; '
           'margin: 0; padding: 0; border: 0">')
_PX = 0.75  # a CSS pixel in PDF points
_ROOT = Path(__file__).resolve().parent.parent  # where ``shapes`` is importable from


def cut(html: str) -> tuple[str, str | None, str]:
    """(the first part, the second or None when there is no department section, the page
    furniture for ``n`` pages as a template with ``{pages}``): both parts carry the document's
    head, without margin boxes."""
    body = html.index("<body")
    body_end = html.index(">", body) + 1
    head = html[:body].replace("</head>", _NO_FURNITURE + "</head>", 1)
    at = html.find(PART_MARK)
    if at < 0:
        one, two = head + html[body:], None
    else:
        one = head + html[body:at] + "</body></html>"
        two = head + html[body:body_end] + html[at:]
    start = html.find(HEAD_MARK)
    strings = html[start:html.index("</header>", start) + len("</header>")] if start >= 0 else ""
    furniture = (html[:body_end] + strings.replace(HEAD_MARK, _HIDDEN, 1)
                 + "{pages}</body></html>")
    return one, two, furniture


def render(html: str, *, worker: bool | None = None) -> bytes:
    """The PDF of the bulletin document ``html`` (:func:`shapes.bulletin_render.to_html`).
    ``worker``: lay the second part out in a worker process (default: when it is long)."""
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    one, two, furniture = cut(html)
    if worker is None:
        worker = two is not None and len(two) >= WORKER_FROM
    job = _Worker(two) if worker and two is not None else None
    with _elsewhere_quiet():
        first = HTML(string=one).render()
        away = _links_away(first)
        pdf_one = first.write_pdf()
    pdf_two = None
    if two is not None:
        pdf_two = job.result() if job is not None else None
        if pdf_two is None:
            pdf_two = HTML(string=two).write_pdf()
    readers = [PdfReader(io.BytesIO(p)) for p in (pdf_one, pdf_two) if p is not None]
    writer = PdfWriter()
    for r in readers:
        writer.append(r)
    n = len(writer.pages)
    pages = "<div style=\"page-break-after: always\"></div>" * (n - 1) + "<div></div>"
    frames = PdfReader(io.BytesIO(HTML(string=furniture.replace("{pages}", pages)).write_pdf()))
    for page, frame in zip(writer.pages, frames.pages, strict=True):
        page.merge_page(frame)
        page.compress_content_streams()
    if len(readers) == 2:
        _relink(writer, away, readers[1], offset=len(readers[0].pages))
    _describe(writer, readers[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class _Worker:
    """The second part laid out by ``python -m shapes.bulletin_pdf`` while this process lays
    out the first."""

    def __init__(self, html: str) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        self.got: tuple[bytes, bytes] | None = None
        self.error: BaseException | None = None
        try:
            self.proc = subprocess.Popen([sys.executable, *WORKER], env=env,
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE)
        except OSError as e:
            self.proc, self.error = None, e
            return
        self.thread = threading.Thread(target=self._talk, args=(html.encode("utf-8"),),
                                       daemon=True)
        self.thread.start()

    def _talk(self, data: bytes) -> None:
        try:
            self.got = self.proc.communicate(data)
        except BaseException as e:  # noqa: BLE001 - reported by result()
            self.error = e

    def result(self) -> bytes | None:
        """The second part's PDF, or None (logged) when the worker failed."""
        if self.proc is not None:
            self.thread.join()
        if self.proc is not None and self.error is None and self.proc.returncode == 0 \
                and self.got and self.got[0].startswith(b"%PDF"):
            return self.got[0]
        why = self.error or (self.got[1].decode("utf-8", "replace").strip()[-500:]
                             if self.got else "")
        log.warning("通报 PDF 后半部分的工作进程失败，改在本进程排版 / the bulletin PDF worker "
                    "failed, laying its part out here: exit %s %s",
                    None if self.proc is None else self.proc.returncode, why)
        return None


def _links_away(document) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """The first part's internal links whose anchor is not in it: (page, anchor, rectangle in
    PDF points)."""
    here = {name for page in document.pages for name in page.anchors}
    away = []
    for i, page in enumerate(document.pages):
        height = page.height * _PX
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal" and target not in here:
                away.append((i, target, (x1 * _PX, height - y2 * _PX, x2 * _PX,
                                         height - y1 * _PX)))
    return away


def _relink(writer, away: list, second, *, offset: int) -> None:
    """Point the first part's links at the anchors of the second part (named destinations)."""
    from pypdf.annotations import Link
    from pypdf.generic import Fit

    dests = second.named_destinations
    for page, target, rect in away:
        dest = dests.get(target)
        if dest is None:
            continue
        where = offset + second.get_destination_page_number(dest)
        writer.add_annotation(page, Link(rect=rect, target_page_index=where,
                                         fit=Fit.xyz(dest.left, dest.top, 0)))


def _describe(writer, first) -> None:
    """Title, author and language of the joined document: the first part's."""
    from pypdf.generic import NameObject

    if first.metadata:
        writer.add_metadata({k: v for k, v in first.metadata.items() if isinstance(v, str)})
    root = first.trailer["/Root"]
    for key in ("/Lang", "/PageMode"):
        if key in root:
            writer.root_object[NameObject(key)] = root[key]


class _ElsewhereFilter(logging.Filter):
    """WeasyPrint warns of each link whose anchor is not in the part it lays out: the anchors
    of the ranking's links are in the other part, and are relinked after the join."""

    active = threading.local()

    def filter(self, record: logging.LogRecord) -> bool:
        return not (getattr(self.active, "on", False)
                    and str(record.msg).startswith("No anchor #"))


_FILTER = _ElsewhereFilter()


@contextmanager
def _elsewhere_quiet():
    """While the first part is laid out and written here, its links to the other part warn no
    more (this thread only)."""
    wlog = logging.getLogger("weasyprint")
    if _FILTER not in wlog.filters:
        wlog.addFilter(_FILTER)
    _FILTER.active.on = True
    try:
        yield
    finally:
        _FILTER.active.on = False


def _main() -> None:
    """The worker: the HTML of a part on stdin, its PDF on stdout."""
    html = sys.stdin.buffer.read().decode("utf-8")
    from weasyprint import HTML

    sys.stdout.buffer.write(HTML(string=html).write_pdf())
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    _main()
