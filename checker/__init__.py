"""apicompat: a backwards-compatibility contract checker for HTTP APIs.

The public API is loaded on first use (PEP 562), so that importing the package (the pytest plugin
does, in every pytest run where apicompat is installed) costs nothing until it is used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_PUBLIC = {
    "DiffOptions": "api", "diff_documents": "api", "diff_files": "api", "diff_schemas": "api",
    "Change": "model", "Direction": "model", "Report": "model", "Severity": "model",
}
__all__ = ["Change", "DiffOptions", "Direction", "Report", "Severity", "diff_documents", "diff_files",
           "diff_schemas"]

if TYPE_CHECKING:  # pragma: no cover
    from .api import DiffOptions, diff_documents, diff_files, diff_schemas
    from .model import Change, Direction, Report, Severity


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'apicompat' has no attribute {name!r}")

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
