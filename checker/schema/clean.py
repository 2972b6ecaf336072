"""Components that are identical in both documents, together with everything they reference,
cannot change anything: the walker skips them without normalising a node. On a mostly unchanged
spec (a typical upgrade) this is most of the document."""

from __future__ import annotations

from urllib.parse import unquote

from ..jsontypes import mappings
from ..pointers import escape, tokens

# Where reusable schemas live, as pointer prefixes (in tokens).
COMPONENT_HOMES = (("components", "schemas"), ("$defs",), ("definitions",))
_MISSING = object()


def refs_in(raw: object) -> list[str]:
    """Every `$ref` string inside a value."""
    return [m["$ref"] for m in mappings(raw) if isinstance(m.get("$ref"), str)]


def component_of(ref: str) -> str | None:
    """`#/components/schemas/A/properties/b` -> `#/components/schemas/A`; None for other refs."""
    if not ref.startswith("#/"):
        return None
    parts = tokens(unquote(ref))
    for home in COMPONENT_HOMES:
        n = len(home)
        if tuple(parts[:n]) == home and len(parts) > n:
            return "#/" + "/".join(escape(p) for p in parts[: n + 1])
    return None


class CleanIndex:
    def __init__(self, old_doc: object, new_doc: object) -> None:
        components: dict[str, tuple[object, object]] = {}
        for home in COMPONENT_HOMES:
            old_map, new_map = _at(old_doc, home), _at(new_doc, home)
            if not isinstance(old_map, dict) or not isinstance(new_map, dict):
                continue
            for name in old_map.keys() | new_map.keys():
                ptr = "#/" + "/".join(escape(p) for p in (*home, name))
                components[ptr] = (old_map.get(name, _MISSING), new_map.get(name, _MISSING))
        dirty = {ptr for ptr, (a, b) in components.items() if a is _MISSING or b is _MISSING or a != b}
        dirty |= _empty_ref_loops(components)  # invalid: let the normaliser examine and refuse them
        users: dict[str, set[str]] = {}
        refs: dict[str, list[str]] = {}
        for ptr, (raw, _) in components.items():
            if ptr in dirty:
                continue
            refs[ptr] = refs_in(raw)
            for ref in refs[ptr]:
                target = component_of(ref)
                if target is None or target not in components:
                    dirty.add(ptr)  # a ref we cannot vouch for (another file, elsewhere in the doc)
                    break
                users.setdefault(target, set()).add(ptr)
        stack = list(dirty)
        while stack:  # whoever uses a changed component is changed too
            for user in users.get(stack.pop(), ()):
                if user not in dirty:
                    dirty.add(user)
                    stack.append(user)
        self._components = components
        self._dirty = dirty
        self._refs = refs

    def refs_of(self, ptr: str) -> list[str] | None:
        """Every `$ref` inside the component at `ptr` when it is unchanged (the same in both
        documents); None for another."""
        return self._refs.get(ptr) if ptr not in self._dirty else None

    def clean_ref(self, ref: object) -> bool:
        if not isinstance(ref, str):
            return False
        target = component_of(ref)
        return target is not None and target in self._components and target not in self._dirty

    def same(self, old_raw: object, new_raw: object) -> bool:
        """Equal values whose every `$ref` leads to unchanged components."""
        if isinstance(old_raw, dict) and isinstance(new_raw, dict) and len(old_raw) == 1 == len(new_raw):
            ref = old_raw.get("$ref")
            if ref is not None and new_raw.get("$ref") == ref:
                return self.clean_ref(ref)
        return old_raw == new_raw and all(self.clean_ref(r) for r in refs_in(old_raw))


def _empty_ref_loops(components: dict[str, tuple[object, object]]) -> set[str]:
    """Components that are nothing but a `$ref` chain leading back to themselves."""
    def pure_ref(ptr: str) -> str | None:
        raw = components.get(ptr, (None,))[0]
        if isinstance(raw, dict) and len(raw) == 1 and isinstance(raw.get("$ref"), str):
            return component_of(raw["$ref"]) or None
        return None

    looping: set[str] = set()
    for start in components:
        seen: list[str] = []
        ptr: str | None = start
        while ptr is not None and ptr not in seen:
            seen.append(ptr)
            ptr = pure_ref(ptr)
        if ptr is not None:  # came back to a component already on the chain
            looping.update(seen[seen.index(ptr):])
    return looping


def _at(doc: object, path: tuple[str, ...]) -> object:
    node = doc
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node
