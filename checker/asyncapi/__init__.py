"""AsyncAPI 2.x and 3.x: channels, what the server sends (response side) and receives (request side),
messages matched by event type, payloads and headers diffed with the schema differ."""

from __future__ import annotations

from ..collect import Collector
from ..kinds import is_asyncapi
from ..schema import Normaliser, Walker
from .compare import compare
from .read import read_api

__all__ = ["diff_asyncapi", "is_asyncapi"]


def diff_asyncapi(old_source: str, old: dict, new_source: str, new: dict, old_norm: Normaliser,
                  new_norm: Normaliser, walker: Walker, out: Collector) -> None:
    compare(read_api(old_source, old, old_norm), read_api(new_source, new, new_norm), walker, out)
