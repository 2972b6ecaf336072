"""One self-contained HTML page (inline CSS and JS, no external fetches): a summary, filters by
severity and by operation, and for each change its old and new fragment side by side.

The fragments are the report's (`Report.fragments`): the schema at the change's old and new pointer in
the documents it was made from, whatever the input was (a file, standard input, a git revision), or
as saved in a JSON report that `apicompat render` reads back.

A change shared by many operations (a component used by 446 Stripe operations) is one card; its
operations are listed once per distinct set, in the "Operation sets" section that the card links
to (collapsed), and the filters read the sets from one JSON table: the page grows with the changes,
not with changes x operations. Text from the documents is escaped for HTML and shown through
`printable` (no control or bidi characters act on the page).
"""

from __future__ import annotations

import json
from html import escape

from ..model import SEVERITY_ORDER, Report
from ..safetext import printable
from ._common import summary_line
from .options import DEFAULT, RenderOptions

SHOWN_OPS = 3  # operations named on a card before "all N"


def text(value: object) -> str:
    """A value from the documents as HTML text: visible escapes for control characters, then HTML escaping."""
    return escape(printable(value))


def lines_text(value: str) -> str:
    """A multi-line fragment: each line through `printable`, the line breaks kept."""
    return escape("\n".join(printable(line) for line in value.split("\n")))


def script_json(value: object) -> str:
    """JSON safe inside <script>: no `</script>` or `<!--` can appear."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header{background:#24292f;color:#fff;padding:16px 24px}header h1{margin:0 0 4px;font-size:20px}
header .src{font-family:ui-monospace,Menlo,monospace;font-size:12px;opacity:.85}
main{padding:16px 24px;max-width:1400px}
.summary{display:flex;gap:12px;margin:8px 0 16px;flex-wrap:wrap}
.count{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:8px 14px;min-width:90px}
.count b{display:block;font-size:22px}
.filters{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;margin-bottom:12px}
.filters label{margin-right:14px;white-space:nowrap}
.change{background:#fff;border:1px solid #d0d7de;border-left-width:6px;border-radius:6px;margin:10px 0;
  padding:10px 14px}
.change.breaking{border-left-color:#cf222e}.change.warning{border-left-color:#bf8700}
.change.additive{border-left-color:#1a7f37}.change.info{border-left-color:#8c959f}
.change.suppressed{opacity:.6}
.sev{font-weight:600;text-transform:uppercase;font-size:11px;padding:2px 6px;border-radius:4px;color:#fff}
.sev.breaking{background:#cf222e}.sev.warning{background:#bf8700}.sev.additive{background:#1a7f37}.sev.info{background:#8c959f}
code,pre{font-family:ui-monospace,Menlo,monospace;font-size:12px}
.rule{font-weight:600}.meta{color:#57606a;font-size:12px;margin:4px 0}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:10px;margin-top:8px}
.sides pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px;margin:4px 0 0;overflow:auto;
  max-height:320px}
.sides>div{min-width:0}.sides h4{margin:0;font-size:12px;color:#57606a;overflow-wrap:anywhere}
.meta{overflow-wrap:anywhere}
.notes li{margin:4px 0}
.opsets details{background:#fff;border:1px solid #d0d7de;border-radius:6px;margin:6px 0;padding:6px 12px}
.opsets ul{columns:2;margin:6px 0}.opsets li{font-family:ui-monospace,Menlo,monospace;font-size:12px}
.hidden{display:none}
"""

JS = """
(function(){
  var boxes = document.querySelectorAll('input[data-severity-filter]');
  var op = document.getElementById('operation-filter');
  var text = document.getElementById('text-filter');
  var shown = document.getElementById('shown');
  var changes = document.querySelectorAll('.change');
  var sets = JSON.parse(document.getElementById('operation-sets').textContent);
  function opsOf(c){ var i = c.getAttribute('data-opset'); return i === '' ? [] : sets[+i]; }
  function openSet(){
    var el = location.hash && document.getElementById(location.hash.slice(1));
    if (el && el.tagName === 'DETAILS') el.open = true;
  }
  window.addEventListener('hashchange', openSet);
  openSet();
  function apply(){
    var sev = {};
    boxes.forEach(function(b){ sev[b.value] = b.checked; });
    var want = op.value, q = text.value.toLowerCase(), n = 0;
    changes.forEach(function(c){
      var ops = opsOf(c);
      var ok = sev[c.getAttribute('data-severity')] &&
               (want === '' || ops.indexOf(want) >= 0 || (want === '(none)' && ops.length === 0)) &&
               (q === '' || c.textContent.toLowerCase().indexOf(q) >= 0);
      c.classList.toggle('hidden', !ok);
      if (ok) n++;
    });
    shown.textContent = 'Showing ' + n + ' of ' + changes.length + ' changes';
  }
  boxes.forEach(function(b){ b.addEventListener('change', apply); });
  op.addEventListener('change', apply);
  text.addEventListener('input', apply);
  apply();
})();
"""


def render(report: Report, options: RenderOptions = DEFAULT) -> str:
    title = options.title
    s = report.summary
    operations = sorted({op for c in report.changes for op in c.operations})
    has_no_op = any(not c.operations for c in report.changes)
    opsets: dict[tuple[str, ...], int] = {}
    for c in report.changes:
        if c.operations and tuple(c.operations) not in opsets:
            opsets[tuple(c.operations)] = len(opsets)
    uses = {i: 0 for i in opsets.values()}
    out: list[str] = []
    w = out.append
    w("<!DOCTYPE html>")
    w('<html lang="en"><head><meta charset="utf-8">')
    w('<meta name="viewport" content="width=device-width, initial-scale=1">')
    w(f"<title>{escape(title or 'apicompat report')}</title>")
    w(f"<style>{CSS}</style></head><body>")
    w(f"<header><h1>{escape(title or 'API compatibility report')}</h1>")
    w(f'<div class="src">{text(report.old_source or "old")} → {text(report.new_source or "new")}</div></header>')
    w("<main>")
    w(f'<p id="summary-line"><strong>{escape(summary_line(report))}</strong></p>')
    w('<div class="summary">')
    for sev in SEVERITY_ORDER:
        w(f'<div class="count" id="count-{sev.label}"><b>{s[sev.label]}</b>{sev.label}</div>')
    w(f'<div class="count" id="count-suppressed"><b>{s["suppressed"]}</b>suppressed</div>')
    w("</div>")
    if report.failures:
        w(f'<section id="failures"><h2>Not recorded, so not compared ({len(report.failures)})</h2><ul>'
          + "".join(f'<li class="failure"><code>{text(f.case)}</code> <code>{text(f.operation)}</code>: '
                    f'{text(f.message)}</li>' for f in report.failures) + "</ul></section>")
    if report.notes:
        w('<ul class="notes">' + "".join(f"<li>{text(n)}</li>" for n in report.notes) + "</ul>")
    w('<div class="filters"><strong>Severity:</strong> ')
    for sev in SEVERITY_ORDER:
        w(f'<label><input type="checkbox" data-severity-filter value="{sev.label}" checked> {sev.label}</label>')
    w('<label><input type="checkbox" data-severity-filter value="suppressed" checked> suppressed</label>')
    w('<label><strong>Operation:</strong> <select id="operation-filter"><option value="">all operations</option>')
    for op in operations:
        w(f'<option value="{text(op)}">{text(op)}</option>')
    if has_no_op:
        w('<option value="(none)">(no operation)</option>')
    w("</select></label>")
    w('<label><strong>Search:</strong> <input type="search" id="text-filter"></label>')
    w('<span id="shown"></span></div>')
    w('<section id="changes">')
    for c in report.changes:
        shown = "suppressed" if c.suppressed is not None else c.severity.label
        old_frag, new_frag = report.fragments(c)
        opset = opsets.get(tuple(c.operations)) if c.operations else None
        classes = f"change {c.severity.label}" + (" suppressed" if c.suppressed is not None else "")
        w(f'<article class="{classes}" data-severity="{shown}" data-rule="{escape(c.rule)}" '
          f'data-opset="{"" if opset is None else opset}" id="c-{c.fingerprint}">')
        w(f'<div><span class="sev {c.severity.label}">{c.severity.label}</span> '
          f'<code class="rule">{text(c.rule)}</code> {text(c.message)}</div>')
        meta = [f"{escape(c.direction.value)}"]
        if opset is not None:
            uses[opset] += 1
            meta.append(_operations_meta(c.operations, opset))
        meta.append(f"at <code>{text(c.pointer)}</code>")
        loc = report.location(c)
        if loc:
            meta.append(f"<code>{text(loc.label)}</code>")
        if c.policy:
            meta.append(f"policy: {escape(c.policy)}")
        if c.suppressed is not None:
            meta.append(f"suppressed: {text(c.suppressed)}")
        meta.append(f"fingerprint <code>{c.fingerprint}</code>")
        w(f'<div class="meta">{" · ".join(meta)}</div>')
        w('<div class="sides">')
        for side, pointer, frag in (("old", c.old_pointer, old_frag), ("new", c.new_pointer, new_frag)):
            w(f'<div><h4>{side} <code>{text(pointer or c.pointer)}</code></h4>'
              f'<pre class="{side}">{lines_text(frag or "—")}</pre></div>')
        w("</div></article>")
    if not report.changes:
        w("<p>Nothing compared for the cases above: they were not recorded.</p>" if report.failures
          else "<p>No changes.</p>")
    w("</section>")
    shared = [(ops, i) for ops, i in opsets.items() if len(ops) > SHOWN_OPS]
    if shared:
        w('<section class="opsets"><h2>Operation sets</h2>')
        w("<p>Changes shared by many operations list them here, once per distinct set.</p>")
        for ops, i in shared:
            w(f'<details id="ops-{i}"><summary>Set {i + 1}: {len(ops)} operations, '
              f"{uses[i]} change(s)</summary><ul>" + "".join(f"<li>{text(op)}</li>" for op in ops) + "</ul></details>")
        w("</section>")
    w("</main>")
    sets = script_json([[printable(op) for op in ops] for ops in opsets])
    w(f'<script type="application/json" id="operation-sets">{sets}</script>')
    w(f"<script>{JS}</script>")
    w("</body></html>")
    return "\n".join(out) + "\n"


def _operations_meta(ops: tuple[str, ...], opset: int) -> str:
    """One to SHOWN_OPS operations by name; more: the first few and a link to the set, listed once."""
    named = ", ".join(f"<code>{text(o)}</code>" for o in ops[:SHOWN_OPS])
    if len(ops) <= SHOWN_OPS:
        return "operations: " + named
    return f'operations: {named}, … <a href="#ops-{opset}">all {len(ops)} (set {opset + 1})</a>'
