#!/usr/bin/env bash
# Collects the real part of the fuzz corpus: every route's answers from the
# demo server (normal, production, old-shape, failing and signed-out modes),
# whole (for fuzz-answer) and as bodies (for fuzz-reader and
# fuzz-json-syntax). The hostile and contract inputs next to them are
# written by hand.
#   tests/fuzz/collect-corpus.sh BUILDDIR
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
builddir=${1:?usage: collect-corpus.sh BUILDDIR}
demo="$builddir/src/demo/vigil-demo-server"
corpus="$top/tests/fuzz/corpus"
port=$((20000 + RANDOM % 20000))
pid=

stop () { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; pid=; }
trap stop EXIT

serve () {
  stop
  "$demo" --port "$port" --seed 7 --speed 20 --song-seconds 30 "$@" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0; sleep 0.1; done
  echo "collect-corpus: the demo server did not start" >&2
  exit 1
}

# save NAME METHOD PATH [CURL ARGS…]: the whole answer and its body.
save () {
  local name=$1 method=$2 path=$3 raw
  shift 3
  raw=$(mktemp)
  curl -s -i -X "$method" "$@" "http://127.0.0.1:$port$path" >"$raw" || true
  # curl writes the head with CRLF, as the server sent it.
  cp "$raw" "$corpus/answer/demo-$name"
  python3 - "$raw" "$corpus/reader/demo-$name" "$corpus/json-syntax/demo-$name" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
body = data.split(b'\r\n\r\n', 1)[1] if b'\r\n\r\n' in data else b''
if body.strip():
    for out in sys.argv[2:]:
        open(out, 'wb').write(body)
PY
  rm -f "$raw"
}

job_id () { sed -n 's/.*"job_id" *: *"\([^"]*\)".*/\1/p' "$corpus/reader/demo-$1"; }

mkdir -p "$corpus/answer" "$corpus/reader" "$corpus/json-syntax"

for mode in normal production old-shape; do
  case $mode in
    normal) serve --workers 2 ;;
    production) serve --workers 2 --production ;;
    old-shape) serve --workers 2 --old-shape ;;
  esac
  save "$mode-start-song" POST /api/songs/11/analyze -H 'Content-Type: application/json' -d '{}'
  save "$mode-start-playlist" POST /api/playlists/4/analyze-unanalyzed -d '{}'
  save "$mode-start-all" POST /api/playlists/4/reanalyze-all -d '{}'
  save "$mode-start-user" POST /api/admin/reanalyze-user/3 -d '{}'
  sleep 1.5
  for kind in song playlist user; do
    id=$(job_id "$mode-start-$kind")
    save "$mode-progress-$kind" GET "/api/progress/$id"
    save "$mode-status-$kind" GET "/api/jobs/$id/status"
  done
  save "$mode-active" GET /api/progress
  save "$mode-queue" GET /api/queue/status
  save "$mode-worker" GET /api/worker/health
  save "$mode-queue-health" GET /api/queue/health
done

serve
save cleanup POST /api/progress/cleanup -d '{"max_age_hours": 24}'
save progress-unknown GET /api/progress/no-such-job
save status-unknown GET /api/jobs/no-such-job/status
save song-unknown POST /api/songs/0/analyze -d '{}'
save user-unknown POST /api/admin/reanalyze-user/0 -d '{}'
save queue-idle GET /api/queue/status
save worker-idle GET /api/worker/health

serve --error-rate 1
save error-progress GET /api/progress/x
save error-queue GET /api/queue/status

serve --token user-token --signin-redirect
save signin-redirect GET /api/progress/x
save signin-page GET /login
serve --token user-token
save unauthorized GET /api/queue/status
