"""apicompat: a backwards-compatibility contract checker for HTTP APIs."""

from .api import DiffOptions, diff_documents, diff_files, diff_schemas
from .model import Change, Direction, Report, Severity

__all__ = ["Change", "Direction", "DiffOptions", "Report", "Severity", "diff_documents", "diff_files",
           "diff_schemas"]
__version__ = "0.1.0"
