"""notebooks/lineage.ipynb runs top to bottom on the demo district and answers its question."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient

from tests.api.catalog import HAS_DEMO
from yishu.config import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "notebooks" / "lineage.ipynb"


@pytest.mark.skipif(not HAS_DEMO, reason="the demo district is not built")
def test_lineage_notebook_executes(monkeypatch):
    monkeypatch.delenv("YISHU_API", raising=False)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(nb, timeout=240, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.output_type == "stream" and o.name == "stdout")
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert "R-MZ-DB" in text and "最低生活保障对象信息" in text
    assert "reached the authoritative source: True" in text
    assert "— RESOLVED" in text and "江东省公安厅" in text
    assert "impact of a change" in text and "云溪区民政局" in text
    assert len(images) == 2
    assert "CJK font:" in text or "no CJK font found: labels are codes" in text
