"""The change model: what every differ produces and every report format consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from functools import cached_property
from types import MappingProxyType
from typing import Any
from collections.abc import Iterable, Mapping

from .fragments import fragment_text
from .lines import Location, locate
from .pointers import resolve


class Severity(IntEnum):
    """Ordered so that `max()` gives the worst; the gate compares with `>=`."""

    INFO = 0
    ADDITIVE = 1
    WARNING = 2
    BREAKING = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: breaking, warning, additive, info)"
            ) from None


class Direction(str, Enum):
    REQUEST = "request"
    RESPONSE = "response"
    NONE = "none"


def fingerprint_of(rule: str, pointer: str, operations: Iterable[str]) -> str:
    """Stable across runs and machines, so a policy file can name one change."""
    text = "\x1f".join([rule, pointer, *sorted(operations)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Change:
    rule: str
    severity: Severity
    direction: Direction
    message: str
    pointer: str
    operations: tuple[str, ...] = ()
    policy: str = ""
    old_pointer: str | None = None
    new_pointer: str | None = None
    old_value: object = None
    new_value: object = None
    suppressed: str | None = None  # the policy's reason when an ignore entry matched
    fingerprint: str = field(default="")

    def __post_init__(self) -> None:
        if not self.fingerprint:
            object.__setattr__(
                self, "fingerprint", fingerprint_of(self.rule, self.pointer, self.operations)
            )

    def to_dict(self) -> dict[str, Any]:
        out = {
            "rule": self.rule,
            "severity": self.severity.label,
            "direction": self.direction.value,
            "message": self.message,
            "pointer": self.pointer,
            "operations": list(self.operations),
            "policy": self.policy,
            "fingerprint": self.fingerprint,
        }
        if self.old_pointer is not None:
            out["old_pointer"] = self.old_pointer
        if self.new_pointer is not None:
            out["new_pointer"] = self.new_pointer
        if self.suppressed is not None:
            out["suppressed"] = self.suppressed
        return out


    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Change:
        return cls(
            rule=str(data["rule"]),
            severity=Severity.parse(str(data["severity"])),
            direction=Direction(str(data["direction"])),
            message=str(data["message"]),
            pointer=str(data["pointer"]),
            operations=tuple(str(o) for o in data.get("operations", ())),
            policy=str(data.get("policy", "")),
            old_pointer=data.get("old_pointer"),
            new_pointer=data.get("new_pointer"),
            suppressed=data.get("suppressed"),
            fingerprint=str(data.get("fingerprint", "")),
        )


SEVERITY_ORDER = (Severity.BREAKING, Severity.WARNING, Severity.ADDITIVE, Severity.INFO)


@dataclass(frozen=True)
class Failure:
    """A recorded case that could not be recorded (`apicompat check`): nothing is known of its
    changes, so a report holding one must never read as "no changes"."""

    case: str
    operation: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"case": self.case, "operation": self.operation, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Failure:
        return cls(case=str(data["case"]), operation=str(data.get("operation", "")), message=str(data["message"]))


@dataclass(frozen=True, eq=False)
class SourceDocument:
    """What a report keeps of an input it was made from, as read once at load time: the name the user
    gave (a path, `-`, `git:REV:PATH`), the text (for line numbers) and the parsed data as in the
    file, before any conversion (for the fragments the HTML report shows)."""

    source: str
    text: str = field(repr=False)
    data: object = field(repr=False)


@dataclass
class Report:
    """Changes in a stable order (worst first), plus what the source documents were."""

    changes: list[Change]
    old_source: str = ""
    new_source: str = ""
    notes: list[str] = field(default_factory=list)
    # The inputs as loaded (None for in-memory pairs without text, and for a report read back from JSON).
    old_document: SourceDocument | None = field(default=None, repr=False, compare=False)
    new_document: SourceDocument | None = field(default=None, repr=False, compare=False)
    # Read back from a JSON report (`apicompat render`): locations by change pointer, and fragment
    # texts by (old pointer, new pointer).
    saved_locations: Mapping[str, tuple[Location, ...]] = field(default_factory=dict, repr=False)
    saved_fragments: Mapping[tuple[str, str], tuple[str | None, str | None]] = field(
        default_factory=dict, repr=False)
    # Cases that could not be recorded (`check`): every format shows them, and the report fails.
    failures: list[Failure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.changes = sorted(
            self.changes,
            key=lambda c: (-int(c.severity), c.operations[:1], c.pointer, c.rule),
        )

    @cached_property
    def locations(self) -> Mapping[str, tuple[Location, ...]]:
        """Where each change is in the inputs, best first, by change pointer (apicompat.lines.locate).
        Worked out on first use, from the text kept at load time: only the formats that show lines pay."""
        pending = [c for c in self.changes if c.pointer not in self.saved_locations]
        found = locate(pending, self.old_document, self.new_document) if pending else {}
        return MappingProxyType({**self.saved_locations, **found})

    def location(self, change: Change) -> Location | None:
        """The best place to show `change`, if it has one."""
        return next(iter(self.locations.get(change.pointer, ())), None)

    def fragments(self, change: Change) -> tuple[str | None, str | None]:
        """The old and new schema fragments of `change` as text (apicompat.fragments): what the
        documents hold at its old and new pointers, else the values the change carries."""
        key = (change.old_pointer or change.pointer, change.new_pointer or change.pointer)
        if key in self.saved_fragments:
            return self.saved_fragments[key]
        return (_fragment(self.old_document, key[0], change.old_value),
                _fragment(self.new_document, key[1], change.new_value))

    @property
    def active(self) -> list[Change]:
        return [c for c in self.changes if c.suppressed is None]

    @property
    def summary(self) -> dict[str, int]:
        counts = {s.label: 0 for s in SEVERITY_ORDER}
        for c in self.active:
            counts[c.severity.label] += 1
        counts["suppressed"] = len(self.changes) - len(self.active)
        return counts

    def worst(self) -> Severity | None:
        active = self.active
        return max((c.severity for c in active), default=None)

    def fails(self, fail_on: Severity | None) -> bool:
        """`fail_on=None` is `--fail-on none`: never fail. A case that failed to record fails any
        other gate: what it would have shown is unknown."""
        worst = self.worst()
        return fail_on is not None and (bool(self.failures) or (worst is not None and worst >= fail_on))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """Read back a `--format json` report (to render it again in another format)."""
        changes = data.get("changes", [])
        locations = {str(c["pointer"]): tuple(Location.from_dict(loc) for loc in c["locations"])
                     for c in changes if c.get("locations")}
        fragments = {(str(c.get("old_pointer") or c["pointer"]), str(c.get("new_pointer") or c["pointer"])):
                     (c["fragments"].get("old"), c["fragments"].get("new"))
                     for c in changes if c.get("fragments")}
        return cls(
            changes=[Change.from_dict(c) for c in changes],
            old_source=str(data.get("old", "")),
            new_source=str(data.get("new", "")),
            notes=[str(n) for n in data.get("notes", [])],
            saved_locations=locations,
            saved_fragments=fragments,
            failures=[Failure.from_dict(f) for f in data.get("failures", [])],
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "summary": self.summary,
            "changes": [self._change_dict(c) for c in self.changes],
            "old": self.old_source,
            "new": self.new_source,
            "notes": list(self.notes),
        }
        if self.failures:
            out["summary"]["failed"] = len(self.failures)
            out["failures"] = [f.to_dict() for f in self.failures]
        return out

    def _change_dict(self, change: Change) -> dict[str, Any]:
        out = change.to_dict()
        found = self.locations.get(change.pointer)
        if found:
            out["locations"] = [loc.to_dict() for loc in found]
        fragments = {side: text for side, text in zip(("old", "new"), self.fragments(change)) if text is not None}
        if fragments:
            out["fragments"] = fragments
        return out


_MISSING = object()


def _fragment(document: SourceDocument | None, pointer: str, value: object) -> str | None:
    found = _MISSING if document is None else resolve(document.data, pointer, _MISSING)
    return fragment_text(value if found is _MISSING else found)
