"""The policy file (`--policy FILE`, or the plan's `policy:` key): severity overrides, ignore entries
with a reason and an optional expiry date, opaque-string pointer globs, and event catalogues.

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

The format is its JSON Schema, checker/schemas/policy.schema.json: a file is validated with it
(apicompat.jsonschemas.check: an error names the key and its line), and this module only reads what
the schema let through. The one check a schema cannot make is here: a rule id must be one the
registry knows.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field, replace

import yaml

from .errors import InputError
from .globs import glob_match
from .jsonschemas import check, place
from .load.documents import _refuse_tags, decode, parse_text, read_source
from .load.yamlread import plain_scalar
from .lines import find_lines
from .model import Change, Report, Severity
from .pointers import join
from .rules import REGISTRY

EVENT_SIDES = ("server", "client")


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
                f"policy {self.path}: {e.describe()} expired on {e.until} and no longer applies"
                + (f"; {hits} change(s) it used to suppress are reported again" if hits else "")
            )
        return replace(report, changes=changes, notes=notes)  # the documents and saved locations go along


def parse(data: object, path: str = "<policy>", text: str | None = None) -> Policy:
    """A Policy from a policy file's data (as `loads` reads it); `text`, the file's text, puts line
    numbers in the errors."""
    check("policy.schema.json", path, data, text)
    if not isinstance(data, dict):  # null, as the schema allows: no policy
        return Policy(path=path)
    _check_rule_ids(data, path, text)
    policy = Policy(path=path)
    for rule, level in (data.get("severity") or {}).items():
        policy.severity[rule] = Severity.parse(level)
    for i, entry in enumerate(data.get("ignore") or ()):
        policy.ignore.append(IgnoreEntry(
            index=i, reason=entry["reason"].strip(), rule=entry.get("rule"), operation=entry.get("operation"),
            pointer=entry.get("pointer"),
            fingerprint=entry["fingerprint"].lower() if "fingerprint" in entry else None,
            until=dt.date.fromisoformat(entry["until"]) if "until" in entry else None))
    policy.opaque.extend(data.get("opaque") or ())
    for side in EVENT_SIDES:
        policy.events[side].extend((data.get("events") or {}).get(side) or ())
    return policy


def _check_rule_ids(data: dict, path: str, text: str | None) -> None:
    """Every rule id the policy names is in the registry (`apicompat rules`)."""
    named: list[tuple[tuple[str | int, ...], object]]
    named = [(("severity", rule), rule) for rule in data.get("severity") or {}]
    named += [(("ignore", i, "rule"), entry["rule"]) for i, entry in enumerate(data.get("ignore") or ())
              if "rule" in entry]
    for keys, rule in named:
        if rule not in REGISTRY:
            pointer = join("#", *keys)
            line = find_lines(text, [pointer], data).get(pointer) if text else None
            close = difflib.get_close_matches(str(rule), REGISTRY.ids(), n=1)  # a typo: name the rule meant
            meant = f"; did you mean {close[0]!r}?" if close else ""
            raise InputError(path, f"unknown rule id {rule!r} (`apicompat rules` lists them){meant}",
                             place(keys, line))


def _loader():
    """PyYAML's SafeLoader with YAML 1.2's core schema, as the shared loader reads specs and plans
    (apicompat.load.yamlread.plain_scalar): only true/false are booleans (`yes`, `no`, `on`, `off` are
    text), nulls the same; and numbers and dates read as the text written, since no policy value is a
    number or a date (a fingerprint of digits keeps its leading zeros; `until` is checked as text).
    PyYAML composes, so a malformed file's error names its line; merge keys as the shared loader."""

    class Loader(yaml.SafeLoader):
        pass

    def as_text(loader, node):
        return loader.construct_scalar(node)

    def yaml12_bool(loader, node):
        value = loader.construct_scalar(node)
        resolved = plain_scalar(value)
        return resolved if isinstance(resolved, bool) else value

    for tag in ("timestamp", "int", "float"):
        Loader.add_constructor(f"tag:yaml.org,2002:{tag}", as_text)
    Loader.add_constructor("tag:yaml.org,2002:bool", yaml12_bool)
    return Loader


def loads(text: str, path: str, lines: bool = True) -> Policy:
    """A Policy from the text of a policy file; `lines=False` for the plan's inline `policy:` mapping,
    whose text (re-serialised from the plan) has other line numbers than the plan."""
    return parse(_read_yaml(text, path, lines), path, text if lines else None)


def load(path: str) -> Policy:
    """Read with the document loader's guards: size, FIFOs and devices, encoding and YAML tags first;
    PyYAML for the values (its errors name their line); yaml-rs for what PyYAML lets through (alias
    bombs, duplicate keys, nesting); then the schema and the rule ids."""
    raw, _ = read_source(path)
    text = decode(path, raw)
    _refuse_tags(path, text)
    data = _read_yaml(text, path, True)
    if data is not None:
        parse_text(path, text)
    return parse(data, path, text)


def _read_yaml(text: str, path: str, lines: bool) -> object:
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None and lines else None
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(path, f"malformed policy: {problem}", where) from None
    except RecursionError:
        raise InputError(path, "malformed policy: nested deeper than the YAML reader allows") from None
