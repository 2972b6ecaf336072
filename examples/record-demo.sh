#!/usr/bin/env bash
# The recorder end to end against the bundled mock server (no network, no real key):
# record a baseline, check it (no changes), then check against a changed API (breaking), then
# against a new model snapshot (a pinned value: breaking), then against a changed Realtime-style
# WebSocket server (an event type removed: one breaking change).
set -euo pipefail
cd "$(dirname "$0")/.."
APICOMPAT=${APICOMPAT:-.venv/bin/apicompat}
export OPENAI_API_KEY=${OPENAI_API_KEY:-sk-demo-not-a-real-key} CI=${CI:-1}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

serve() {  # serve a snapshot directory, set $url
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  "$APICOMPAT" mock-server --data "$1" >"$work/url" &
  pid=$!
  for _ in $(seq 50); do [ -s "$work/url" ] && break; sleep 0.1; done
  url=$(head -1 "$work/url")
}

serve examples/mock
echo "== check the bundled baseline (snapshots/, schemas/) against the mock API: values differ, the contract does not"
cp -r snapshots "$work/snapshots" && cp -r schemas "$work/schemas"
"$APICOMPAT" check --plan examples/apicompat.yaml --snapshots "$work/snapshots" --schemas "$work/schemas" \
  --base-url "$url/v1"
echo "== record a fresh baseline (what 'apicompat record' writes)"
"$APICOMPAT" record --plan examples/apicompat.yaml --snapshots "$work/fresh/snapshots" --schemas "$work/fresh/schemas" \
  --base-url "$url/v1"
echo "== check against a changed API: 'usage' removed from chat completions, a stream event renamed"
mkdir "$work/changed"
sed '/usage:/d' examples/mock/chat-completion.yaml >"$work/changed/chat-completion.yaml"
sed 's/response.output_text.done/response.output_text.finished/g' examples/mock/responses-stream.yaml \
  >"$work/changed/responses-stream.yaml"
cp examples/mock/models-list.yaml examples/mock/realtime-session.yaml "$work/changed/"
serve "$work/changed"
set +e
"$APICOMPAT" check --plan examples/apicompat.yaml --snapshots "$work/snapshots" --schemas "$work/schemas" \
  --base-url "$url/v1"
echo "(exit status $?: 1 means a breaking change)"
echo "== check against a new model snapshot behind the same alias: values only, but \$.model is pinned"
mkdir "$work/model"
cp examples/mock/*.yaml "$work/model/"
sed 's/gpt-4.1-mini-2025-04-14/gpt-4.1-mini-2025-09-01/' examples/mock/chat-completion.yaml >"$work/model/chat-completion.yaml"
serve "$work/model"
"$APICOMPAT" check --plan examples/apicompat.yaml --snapshots "$work/snapshots" --schemas "$work/schemas" \
  --base-url "$url/v1"
echo "(exit status $?: 1 means a breaking change)"
echo "== check against a changed Realtime server (WebSocket, same port): 'response.output_text.done' no longer sent"
mkdir "$work/realtime"
cp examples/mock/models-list.yaml examples/mock/chat-completion.yaml examples/mock/responses-stream.yaml "$work/realtime/"
sed '/response.output_text.done/d' examples/mock/realtime-session.yaml >"$work/realtime/realtime-session.yaml"
serve "$work/realtime"
"$APICOMPAT" check --plan examples/apicompat.yaml --snapshots "$work/snapshots" --schemas "$work/schemas" \
  --base-url "$url/v1"
echo "(exit status $?: 1 means a breaking change)"
