"""Loading documents: files, standard input and git revisions, YAML or JSON, within limits."""

from .documents import Document, load_document, parse_text
from .limits import Limits

__all__ = ["Document", "Limits", "load_document", "parse_text"]
