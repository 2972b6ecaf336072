"""The policy file (`--policy FILE`, checker/schemas/policy.schema.json): severity overrides, ignore
entries with a reason and an optional expiry date, and opaque-string pointer globs.

```yaml
severity:
  response-enum-value-added: breaking
ignore:
  - rule: response-property-removed
    operation: "GET /jobs/**"               # glob on "METHOD /path" (apicompat.globs: * stays in a
    pointer: "#/components/schemas/Job/**"  # segment, ** crosses /); glob on the change's pointer
    fingerprint: 3f9a0c1d2e4b
    reason: "legacy_score was never documented"   # required
    until: 2027-01-31                       # past it the entry no longer applies (noted)
opaque:
  - "#/components/schemas/*/properties/token"
events:                                     # event catalogues beyond *ServerEvent / *ClientEvent
  server: ["#/components/schemas/StreamEvents"]   # pointers or globs: what the server sends
  client: ["#/components/schemas/Commands*"]      # what the client sends
```
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from .errors import InputError
from .globs import glob_match
from .model import Change, Report, Severity

TOP_KEYS = ("severity", "ignore", "opaque", "events")
EVENT_SIDES = ("server", "client")
IGNORE_KEYS = ("rule", "operation", "pointer", "fingerprint", "reason", "until")


@dataclass(frozen=True)
class IgnoreEntry:
    index: int
    reason: str
    rule: str | None = None
    operation: str | None = None
    pointer: str | None = None
    fingerprint: str | None = None
    until: dt.date | None = None

    def matches(self, change: Change) -> bool:
        if self.rule is not None and change.rule != self.rule:
            return False
        if self.fingerprint is not None and change.fingerprint != self.fingerprint:
            return False
        if self.pointer is not None and not (
            glob_match(self.pointer, change.pointer)
            or any(p is not None and glob_match(self.pointer, p) for p in (change.old_pointer, change.new_pointer))
        ):
            return False
        if self.operation is not None and not any(glob_match(self.operation, op) for op in change.operations):
            return False
        return True

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and today > self.until

    def describe(self) -> str:
        what = self.rule or f"fingerprint {self.fingerprint}"
        return f"ignore entry #{self.index + 1} ({what})"


@dataclass
class Policy:
    path: str = ""
    severity: dict[str, Severity] = field(default_factory=dict)
    ignore: list[IgnoreEntry] = field(default_factory=list)
    opaque: list[str] = field(default_factory=list)
    events: dict[str, list[str]] = field(default_factory=lambda: {side: [] for side in EVENT_SIDES})

    def diff_fields(self) -> dict:
        """What the diff itself takes from the policy (DiffOptions fields)."""
        return {"opaque": tuple(self.opaque), "server_events": tuple(self.events["server"]),
                "client_events": tuple(self.events["client"])}

    def apply(self, report: Report, today: dt.date | None = None) -> Report:
        """A new Report: severities overridden, ignored changes kept but marked `suppressed`."""
        today = today or dt.date.today()
        live = [e for e in self.ignore if not e.expired(today)]
        expired = [e for e in self.ignore if e.expired(today)]
        changes: list[Change] = []
        expired_hits = {e.index: 0 for e in expired}
        for change in report.changes:
            if change.rule in self.severity and self.severity[change.rule] is not change.severity:
                change = replace(change, severity=self.severity[change.rule])
            if change.suppressed is None:
                entry = next((e for e in live if e.matches(change)), None)
                if entry is not None:
                    change = replace(change, suppressed=entry.reason)
                else:
                    for e in expired:
                        if e.matches(change):
                            expired_hits[e.index] += 1
                            break
            changes.append(change)
        notes = list(report.notes)
        for e in expired:
            hits = expired_hits[e.index]
            notes.append(
                f"policy {self.path}: {e.describe()} expired on {e.until.isoformat()} and no longer applies"
                + (f"; {hits} change(s) it used to suppress are reported again" if hits else "")
            )
        return replace(report, changes=changes, notes=notes)  # the documents and saved locations go along


def _known_rule(path: str, rule: object, place: str) -> str:
    from .rules import REGISTRY

    if not isinstance(rule, str) or not rule:
        raise InputError(path, "a rule id must be a non-empty string", place)
    if rule not in REGISTRY:
        raise InputError(path, f"unknown rule id {rule!r} (see `apicompat rules`)", place)
    return rule


def _string(path: str, value: object, place: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(path, "must be a non-empty string", place)
    return value


def _date(path: str, value: object, place: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(path, f"bad date {value!r} (expected YYYY-MM-DD)", place)


def parse(data: object, path: str = "<policy>") -> Policy:
    if data is None:
        return Policy(path=path)
    if not isinstance(data, dict):
        raise InputError(path, "a policy file must be a mapping with keys: " + ", ".join(TOP_KEYS))
    for key in data:
        if key not in TOP_KEYS:
            raise InputError(path, f"unknown key {key!r} (expected: {', '.join(TOP_KEYS)})", str(key))
    policy = Policy(path=path)

    severity = data.get("severity") or {}
    if not isinstance(severity, dict):
        raise InputError(path, "must be a mapping of rule id to severity", "severity")
    for rule, level in severity.items():
        place = f"severity.{rule}"
        _known_rule(path, rule, place)
        try:
            if not isinstance(level, str):
                raise ValueError(f"unknown severity {level!r} (expected one of: breaking, warning, additive, info)")
            policy.severity[rule] = Severity.parse(level)
        except ValueError as exc:
            raise InputError(path, str(exc), place) from None

    ignore = data.get("ignore") or []
    if not isinstance(ignore, list):
        raise InputError(path, "must be a list of entries", "ignore")
    for i, entry in enumerate(ignore):
        place = f"ignore[{i}]"
        if not isinstance(entry, dict):
            raise InputError(path, "an ignore entry must be a mapping", place)
        for key in entry:
            if key not in IGNORE_KEYS:
                raise InputError(path, f"unknown key {key!r} (expected: {', '.join(IGNORE_KEYS)})",
                                 f"{place}.{key}")
        if "reason" not in entry:
            raise InputError(path, "missing 'reason': say why this change is accepted", place)
        reason = _string(path, entry["reason"], f"{place}.reason")
        if not any(k in entry for k in ("rule", "fingerprint", "pointer", "operation")):
            raise InputError(path, "an ignore entry needs at least one of rule, fingerprint, pointer, operation",
                             place)
        rule = _known_rule(path, entry["rule"], f"{place}.rule") if "rule" in entry else None
        fields = {}
        for key in ("operation", "pointer"):
            if key in entry:
                fields[key] = _string(path, entry[key], f"{place}.{key}")
        if "fingerprint" in entry:
            fp = str(getattr(entry["fingerprint"], "raw", entry["fingerprint"])).strip().lower()
            if len(fp) != 12 or any(ch not in "0123456789abcdef" for ch in fp):
                raise InputError(path, f"bad fingerprint {entry['fingerprint']!r} (12 hex digits)",
                                 f"{place}.fingerprint")
            fields["fingerprint"] = fp
        until = _date(path, entry["until"], f"{place}.until") if "until" in entry else None
        policy.ignore.append(IgnoreEntry(index=i, reason=reason.strip(), rule=rule, until=until, **fields))

    opaque = data.get("opaque") or []
    if not isinstance(opaque, list):
        raise InputError(path, "must be a list of pointer globs", "opaque")
    for i, glob in enumerate(opaque):
        policy.opaque.append(_string(path, glob, f"opaque[{i}]"))

    events = data.get("events") or {}
    if not isinstance(events, dict):
        raise InputError(path, "must be a mapping with keys: " + ", ".join(EVENT_SIDES), "events")
    for side, pointers in events.items():
        if side not in EVENT_SIDES:
            raise InputError(path, f"unknown key {side!r} (expected: {', '.join(EVENT_SIDES)})", f"events.{side}")
        if not isinstance(pointers, list):
            raise InputError(path, "must be a list of JSON pointers or globs", f"events.{side}")
        for i, pointer in enumerate(pointers):
            place = f"events.{side}[{i}]"
            if not _string(path, pointer, place).startswith("#/"):
                raise InputError(path, f"{pointer!r} is not a JSON pointer (like '#/components/schemas/X')", place)
            policy.events[side].append(pointer)
    return policy


class _RawInt(int):
    """An int that remembers how it was written (a fingerprint like 000123456789)."""

    raw: str


def _loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    def timestamp_as_text(loader, node):  # dates are parsed (and reported) by _date
        return loader.construct_scalar(node)

    def int_with_text(loader, node):
        value = _RawInt(yaml.SafeLoader.construct_yaml_int(loader, node))
        value.raw = node.value
        return value

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_as_text)
    Loader.add_constructor("tag:yaml.org,2002:int", int_with_text)
    return Loader


def load(path: str) -> Policy:
    """Read with the document loader's guards: size, FIFOs and devices, encoding and YAML tags
    first; PyYAML for the values (errors name their line; fingerprints keep their text); then
    yaml-rs for what PyYAML lets through (alias bombs, duplicate keys, nesting)."""
    import yaml

    from .load.documents import _refuse_tags, decode, parse_text, read_source

    raw, _ = read_source(path)
    text = decode(path, raw)
    _refuse_tags(path, text)
    try:
        data = yaml.load(text, Loader=_loader())  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(path, f"malformed policy file: {problem}", place) from None
    except RecursionError:
        raise InputError(path, "malformed policy file: nested deeper than the YAML reader allows") from None
    if data is None:
        return parse(None, path)
    parse_text(path, text)
    return parse(data, path)
