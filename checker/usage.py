"""What your recorded traffic uses: the operations your snapshots call, and a report restricted to them
(`apicompat gate --usage`)."""

from __future__ import annotations

import os
from dataclasses import replace
from urllib.parse import urlsplit

from .errors import InputError
from .model import SEVERITY_ORDER, Report
from .openapi.match import base_paths, match_operation, spec_operations

NOT_USED = "not used by you"
SNAPSHOT_SUFFIXES = (".yaml", ".yml", ".json")


# ---- recordings ----

def read_recordings(directory: str) -> list[tuple[str, str, str]]:
    """(file, METHOD, concrete path) of every snapshot file under `directory`.

    A snapshot is any YAML/JSON file with top-level `request.method` and `request.path`
    (the recorder's format); other files are skipped.
    """
    import yaml

    if not os.path.isdir(directory):
        raise InputError(directory, "is not a directory of recorded snapshots")
    found: list[tuple[str, str, str]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.endswith(SNAPSHOT_SUFFIXES) or name.startswith("."):
                continue
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8") as fh:
                    data = yaml.safe_load(fh)
            except (OSError, UnicodeDecodeError) as exc:
                raise InputError(path, f"cannot read snapshot: {exc}") from None
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                raise InputError(path, f"malformed snapshot: {getattr(exc, 'problem', None) or exc}",
                                 f"line {mark.line + 1}" if mark is not None else None) from None
            request = data.get("request") if isinstance(data, dict) else None
            if not isinstance(request, dict):
                continue
            method, target = request.get("method"), request.get("path")
            if not isinstance(method, str) or not isinstance(target, str):
                continue
            found.append((path, method.upper(), urlsplit(target).path or "/"))
    return found


def restrict_to_usage(report: Report, used: set[str]) -> Report:
    """Set aside (suppressed = "not used by you") every change whose operations are all uncalled.
    Changes without an operation (a bare schema, info.version) are kept."""
    changes = []
    set_aside = []
    for c in report.changes:
        if c.suppressed is None and c.operations and not any(op in used for op in c.operations):
            c = replace(c, suppressed=NOT_USED)
            set_aside.append(c)
        changes.append(c)
    notes = list(report.notes)
    if set_aside:
        worst = {s.label: sum(1 for c in set_aside if c.severity is s) for s in SEVERITY_ORDER}
        detail = ", ".join(f"{n} {label}" for label, n in worst.items() if n)
        notes.append(f"gate: {len(set_aside)} change(s) to operations your recordings do not call were set aside "
                     f"({detail})")
    return replace(report, changes=changes, notes=notes)


def used_operations(recordings: list[tuple[str, str, str]], old_data: object, new_data: object
                    ) -> tuple[set[str], list[str]]:
    """The spec operations (`METHOD /path`) the recordings call, and the recordings that match none."""
    operations = spec_operations(new_data, old_data)
    new_bases = base_paths(new_data)
    bases = new_bases + [b for b in base_paths(old_data) if b not in new_bases]
    used: set[str] = set()
    unmatched: list[str] = []
    for _path, method, target in recordings:
        op = match_operation(method, target, operations, bases)
        if op is None:
            unmatched.append(f"{method} {target}")
        else:
            used.add(op)
    return used, unmatched
