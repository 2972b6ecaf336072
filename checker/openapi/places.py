"""Where a schema change is, and what to call it, as seen from the operations that reach it.

The schema differ reports a change at the place of the schema that holds it. Three things make
that place misleading for an operation's reader, and are put right here:

- **A `$ref` that now points elsewhere.** An operation that used `minimal-repository` and now uses
  `simple-repository` is compared component against component, so every difference is found inside
  `minimal-repository`, a component that did not change. Such a change is reported at the
  operation's own place (the `$ref` that changed, followed by the path inside the component), naming
  both components. The same holds for a `$ref` replaced by an inline schema: the change is at the
  property that now holds the schema, not in the component that was deleted.
- **A change reached through a merged `allOf`** is named after the component that changed, not after
  whichever composed schema the walk went through first.
- **Which part of which operation**: every message names the operation, then the part (status code
  and media type of a response, the request body's media type, a parameter, a response header).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeGuard

from ..collect import Placed, Site
from ..errors import InputError
from ..schema.findings import Finding
from ..pointers import join, tokens, unescape
from .index import Deref

COMPONENT_HOMES = ("#/components/schemas/", "#/definitions/", "#/$defs/")
SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "propertyNames")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
MAX_WALK = 200_000  # node pairs visited looking for switched $refs, per diff (a hostile document is bounded)


@dataclass(frozen=True)
class Switch:
    """At `display` (the old document's place, as reached from an operation) a `$ref` to `old`
    became `new`: a `$ref` to another component, or an inline schema (then `new` is its place)."""

    old: str
    new: str
    display: str
    new_display: str


def component_of(pointer: str | None) -> str | None:
    """`#/components/schemas/A/properties/b` -> `#/components/schemas/A`; None outside components.
    (Pointer tokens are escaped, so a name never holds a `/`.)"""
    if not pointer:
        return None
    for home in COMPONENT_HOMES:
        if pointer.startswith(home) and len(pointer) > len(home):
            end = pointer.find("/", len(home))
            return pointer if end < 0 else pointer[:end]
    return None


def component_name(pointer: str) -> str:
    return unescape(pointer.rsplit("/", 1)[-1])


def under(pointer: str | None, prefix: str) -> TypeGuard[str]:
    return pointer is not None and (pointer == prefix or pointer.startswith(prefix + "/"))


class Placer:
    def __init__(self, old_doc: dict[str, Any], new_doc: dict[str, Any], deref_old: Deref, deref_new: Deref) -> None:
        self.old_doc = old_doc
        self.new_doc = new_doc
        self.deref_old = deref_old
        self.deref_new = deref_new
        self._switches: dict[str, list[Switch]] = {}  # old component -> switches away from it
        self._walked: set[tuple[str, str, str]] = set()
        self._sites_walked: set[tuple[str, str]] = set()
        self._budget = MAX_WALK
        self._own_change: dict[str, bool] = {}
        self._switched_kinds: dict[int, tuple[Finding, tuple[str, list[Switch]]]] = {}

    # -- placing a finding -----------------------------------------------------------------------
    def subject_of(self, f: Finding, sites: tuple[Site, ...]) -> str | None:
        """The pointer of the schema a finding is named after, where it is reported; None when it
        compares a component with what replaced it at a `$ref` that changed (see `switched`)."""
        kind = self._kind(f, sites)
        if isinstance(kind, str):
            return kind
        self._switched_kinds[id(f)] = (f, kind)
        return None

    def switched(self, f: Finding, sites: tuple[Site, ...]) -> list[Placed]:
        """The placements of a finding `subject_of` returned None for, at each site's own `$ref`."""
        _, (old_comp, switches) = self._switched_kinds[id(f)]
        for site in sites:
            self._walk_site(site)
        switches = [s for s in self._switches.get(old_comp, ()) if under(f.new_pointer, s.new)] or switches
        return self._switched(f.pointer, f.new_pointer, f.subject, old_comp, switches, sites)

    def _kind(self, f: Finding, sites: tuple[Site, ...]) -> str | tuple[str, list[Switch]]:
        """(old component, switches) when the finding compares a component with what replaced it at
        a `$ref` that changed; else the pointer of the schema to name.

        The finding is the switch's when its place is in the component the operation left, or in
        the one it now uses while that one did not change itself (`simple-repository` lacks what
        `minimal-repository` had). A place in a component that changed itself (reached through the
        old one's `allOf`) is that component's own change, reported there."""
        old_comp = component_of(f.subject)
        new_comp = component_of(f.new_pointer)
        place_comp = component_of(f.pointer)
        if old_comp is not None and new_comp != old_comp and (
                place_comp == old_comp or (place_comp == new_comp and not self._changed_itself(new_comp))):
            for site in sites:
                self._walk_site(site)
                switched = [s for s in self._switches.get(old_comp, ()) if under(f.new_pointer, s.new)]
                if switched:
                    return old_comp, switched
        holder = f.pointer
        last = holder.rsplit("/", 2)
        if len(last) == 3 and last[1] == "properties" and unescape(last[2]) in (f.old, f.new):
            holder = last[0]
        return self._subject(holder, f.subject)

    def _subject(self, holder: str, subject: str) -> str:
        """The schema the change belongs to: the walk's holder, unless the change sits in another
        component (merged in through `allOf`) that changed itself while the holder did not."""
        comp = component_of(holder)
        if comp is None or comp == component_of(subject):
            return subject
        if self._changed_itself(comp) and not self._changed_itself(component_of(subject)):
            return holder
        return subject

    def _switched(self, pointer: str, new_pointer: str | None, subject: str, old_comp: str,
                  switched: list[Switch], sites: tuple[Site, ...]) -> list[Placed]:
        """One entry per change and per schema switched to, listing every operation that made that
        switch, placed at the first one's own `$ref`."""
        by_target: dict[str, list[tuple[Switch, Site | None]]] = {}
        shared = [s for s in switched if not any(under(s.display, site.old) for site in sites)]
        for site in sites or (None,):
            mine = [s for s in switched if site is not None and under(s.display, site.old)] or shared or switched
            by_target.setdefault(mine[0].new, []).append((mine[0], site))
        out = []
        for target, chosen in by_target.items():
            sw = chosen[0][0]
            new_tail = new_pointer[len(sw.new):] if under(new_pointer, sw.new) else ""
            if under(pointer, old_comp):  # a place in the old component
                placed_at, old_at = sw.display + pointer[len(old_comp):], pointer
                placed_new = sw.new_display + new_tail
            else:  # an added thing, at its place in the new schema
                placed_at = placed_new = sw.new_display + (pointer[len(sw.new):] if under(pointer, sw.new) else "")
                old_at = None
            its_sites = tuple(site for _, site in chosen if site is not None)
            out.append(Placed(placed_at, placed_new, old_at, sw.display + subject[len(old_comp):],
                              self._switch_words(old_comp, target), its_sites, key=(pointer, old_comp, target)))
        return out

    def _switch_words(self, old_comp: str, new: str) -> str:
        was = f"'{component_name(old_comp)}'"
        if component_of(new) == new:
            return f", which now uses '{component_name(new)}' instead of {was},"
        inline = self._raw(self.new_doc, new, None)
        inline = inline if isinstance(inline, dict) else {}
        members = [m for kw in ("anyOf", "oneOf", "allOf") for m in inline.get(kw) or ()]
        if any(isinstance(m, dict) and m.get("$ref") == old_comp for m in members):
            return f", which now wraps {was} in an inline schema,"
        return f", which now uses an inline schema instead of {was},"

    def _changed_itself(self, comp: str | None) -> bool:
        """The component is in both documents and its own text differs (not only what it references)."""
        if comp is None:
            return False
        hit = self._own_change.get(comp)
        if hit is None:
            missing = object()
            old, new = self._raw(self.old_doc, comp, missing), self._raw(self.new_doc, comp, missing)
            hit = self._own_change[comp] = old is not missing and new is not missing and old != new
        return hit

    @staticmethod
    def _raw(doc: dict[str, Any], pointer: str, default: object) -> Any:
        node: Any = doc
        for t in tokens(pointer):
            if not isinstance(node, dict) or t not in node:
                return default
            node = node[t]
        return node

    # -- finding switched $refs ------------------------------------------------------------------
    def _walk_site(self, site: Site) -> None:
        key = (site.old, site.new)
        if key in self._sites_walked:
            return
        self._sites_walked.add(key)
        o = self._raw(self.old_doc, site.old, None)
        n = self._raw(self.new_doc, site.new, None)
        stack = [(o, site.old, n, site.new, site.old, site.new)]
        while stack and self._budget > 0:
            self._budget -= 1
            self._step(*stack.pop(), stack)

    def _step(self, o: Any, optr: str, n: Any, nptr: str, display: str, new_display: str,
              stack: list[Any]) -> None:
        o_target = self._target(o, optr, self.deref_old)
        n_target = self._target(n, nptr, self.deref_new)
        if o_target is not None:
            o, optr = o_target
            o_comp, n_comp = component_of(optr), component_of(n_target[1]) if n_target else None
            if o_comp == optr and n_comp != o_comp:
                new_place = n_target[1] if n_target is not None else nptr
                self._switches.setdefault(o_comp, []).append(Switch(o_comp, new_place, display, new_display))
            elif n_target is not None and n_comp == o_comp:  # the same component: its changes are its own
                display, new_display = optr, n_target[1]
        if n_target is not None:
            n, nptr = n_target
        key = (optr, nptr, display)
        if key in self._walked or not isinstance(o, dict) or not isinstance(n, dict):
            return
        self._walked.add(key)
        for kw in ("properties", "patternProperties"):
            op_, np_ = o.get(kw), n.get(kw)
            if isinstance(op_, dict) and isinstance(np_, dict):
                for name in op_:
                    if name in np_:
                        stack.append((op_[name], join(optr, kw, name), np_[name], join(nptr, kw, name),
                                      join(display, kw, name), join(new_display, kw, name)))
        for kw in SCHEMA_CHILDREN:
            if isinstance(o.get(kw), dict) and isinstance(n.get(kw), dict):
                stack.append((o[kw], join(optr, kw), n[kw], join(nptr, kw), join(display, kw),
                              join(new_display, kw)))
        for kw in SCHEMA_LISTS:
            ol, nl = o.get(kw), n.get(kw)
            if isinstance(ol, list) and isinstance(nl, list):
                for i in range(min(len(ol), len(nl))):
                    stack.append((ol[i], join(optr, kw, i), nl[i], join(nptr, kw, i), join(display, kw, i),
                                  join(new_display, kw, i)))

    @staticmethod
    def _target(raw: Any, ptr: str, deref: Deref) -> tuple[Any, str] | None:
        """Where a `$ref` leads ((value, pointer)), or None when `raw` is not a `$ref`."""
        if not isinstance(raw, dict) or not isinstance(raw.get("$ref"), str):
            return None
        try:
            return deref({"$ref": raw["$ref"]}, ptr)
        except (InputError, RecursionError):
            return None
