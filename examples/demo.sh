#!/usr/bin/env bash
# `make demo`: the checker's main jobs on bundled examples; no network, no key.
set -u
cd "$(dirname "$0")/.."
BIN=.venv/bin/apicompat
echo "== 1. A JSON Schema contract: examples/job-old.json -> examples/job-new.json (response side)"
$BIN diff examples/job-old.json examples/job-new.json --fail-on none
echo
echo "== 2. Two real OpenAI spec versions (2022-01-25 -> 2023-06-19), breaking and warnings only"
$BIN diff examples/openai/openapi-2022-01-25.yaml examples/openai/openapi-2023-06-19.yaml --fail-on none --format json \
  | .venv/bin/python -c "
import json, sys
r = json.load(sys.stdin)
s = r['summary']
print(f\"summary: {s['breaking']} breaking, {s['warning']} warning, {s['additive']} additive, {s['info']} info\")
for c in r['changes']:
    if c['severity'] in ('breaking', 'warning'):
        ops = c['operations'][0] + (f\" (+{len(c['operations'])-1})\" if len(c['operations']) > 1 else '') if c['operations'] else ''
        print(f\"  {c['severity']:<8} {c['rule']:<45} {c['message']}  [{ops}]\")
"
if [ -x examples/record-demo.sh ]; then
  echo
  bash examples/record-demo.sh
fi
exit 0
