"""notebooks/completeness_audit.ipynb runs top to bottom (nbclient, python3 kernel of the venv)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "completeness_audit.ipynb"


def test_completeness_audit_notebook_runs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parents[1])}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs)
    assert "按需共享率" in text and "ORG-002" in text
    assert any("image/png" in o.get("data", {}) for o in outputs)
