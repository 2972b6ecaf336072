"""The change model: what every differ produces and every report format consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from typing import Iterable


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
    def parse(cls, text: str) -> "Severity":
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

    def to_dict(self) -> dict:
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
    def from_dict(cls, data: dict) -> "Change":
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


@dataclass
class Report:
    """Changes in a stable order (worst first), plus what the source documents were."""

    changes: list[Change]
    old_source: str = ""
    new_source: str = ""
    notes: list[str] = field(default_factory=list)
    # Source locations, filled in by the loader when asked: pointer -> (file, line)
    locations: dict[str, tuple[str, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.changes = sorted(
            self.changes,
            key=lambda c: (-int(c.severity), c.operations[:1], c.pointer, c.rule),
        )

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
        """`fail_on=None` is `--fail-on none`: never fail."""
        worst = self.worst()
        return fail_on is not None and worst is not None and worst >= fail_on

    @classmethod
    def from_dict(cls, data: dict) -> "Report":
        """Read back a `--format json` report (to render it again in another format)."""
        return cls(
            changes=[Change.from_dict(c) for c in data.get("changes", [])],
            old_source=str(data.get("old", "")),
            new_source=str(data.get("new", "")),
            notes=[str(n) for n in data.get("notes", [])],
        )

    def to_dict(self) -> dict:
        return {
            "summary": self.summary,
            "changes": [c.to_dict() for c in self.changes],
            "old": self.old_source,
            "new": self.new_source,
            "notes": list(self.notes),
        }
