"""`apicompat changelog`: every change, grouped by operation, as Markdown."""

from __future__ import annotations

from ..model import Report


def render_changelog(report: Report, title: str | None = None) -> str:
    groups: dict[str, list] = {}
    for c in report.changes:
        for op in c.operations or ("General",):
            groups.setdefault(op, []).append(c)
    out = [f"# {title or 'API changelog'}", "",
           f"`{report.old_source or 'old'}` → `{report.new_source or 'new'}`", ""]
    s = report.summary
    out.append(f"{s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, {s['info']} info"
               + (f", {s['suppressed']} suppressed" if s["suppressed"] else ""))
    if not report.changes:
        out += ["", "No changes."]
    order = sorted(groups, key=lambda op: (op == "General", op.split(" ", 1)[-1], op))
    for op in order:
        out += ["", f"## {op}", ""]
        for c in sorted(groups[op], key=lambda c: (-int(c.severity), c.rule, c.pointer)):
            tag = c.severity.label.capitalize()
            line = f"- **{tag}** `{c.rule}`: {c.message}"
            if c.suppressed is not None:
                line += f" _(suppressed: {c.suppressed})_"
            out.append(line)
    for note in report.notes:
        out += ["", f"> note: {note}"]
    return "\n".join(out) + "\n"
