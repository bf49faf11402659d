"""Loaders: the catalog template (CSV folder, XLSX, ZIP) and RDF files into the store."""

from loaders.errors import CellError, TemplateError
from loaders.load import LoadReport, load_path, load_tables, load_upload
from loaders.readers import read_template

__all__ = ["CellError", "TemplateError", "LoadReport", "load_path", "load_tables", "load_upload",
           "read_template"]
