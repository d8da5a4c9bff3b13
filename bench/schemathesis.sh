#!/bin/sh
# Fuzz the JSON API (public and staff) from its OpenAPI description with schemathesis: a server on
# a throw-away data directory with the demo data, requests as the demo administrator (token).
# Fails when any response is a 500. Not part of the test suite: `make fuzz-api` (a few minutes).
#   EXAMPLES=50 PORT=8765 bench/schemathesis.sh [extra schemathesis options]
set -eu
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
PORT=${PORT:-8765}
EXAMPLES=${EXAMPLES:-50}
QINGDAN_DATA=$(mktemp -d)
QINGDAN_TASKS=immediate
export QINGDAN_DATA QINGDAN_TASKS
$BIN/qingdan demo --no-serve >/dev/null
TOKEN=$($BIN/qingdan token admin --name schemathesis)
$BIN/qingdan serve --port "$PORT" >"$QINGDAN_DATA/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; echo "log: $QINGDAN_DATA/logs/qingdan.log"' EXIT
BASE="http://127.0.0.1:$PORT"
for _ in $(seq 60); do curl -sf "$BASE/-/health" >/dev/null && break; sleep 1; done
# a draft in every demo department, so the draft endpoints are reached and not only answer 404
for id in $(seq 12); do
  curl -s -X POST -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/departments/$id/draft" >/dev/null
done
$BIN/schemathesis run "$BASE/api/v1/openapi.json" \
  --wait-for-schema 60 \
  --checks not_a_server_error \
  --max-examples "$EXAMPLES" \
  --header "Authorization: Bearer $TOKEN" \
  "$@"
