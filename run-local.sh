#!/usr/bin/env bash
# Runs Remediation on this machine with its embedded defaults: the demo targets (tests/fixture: "demo", sshd on :2222
# and supervisor running PostgreSQL, nginx and an Odoo stand-in; "demo-systemd", the same stack under systemd as PID 1
# of a container, sshd on :2223), Azurite for storage, and the self-hosted server on http://127.0.0.1:7071. Starts one
# sample remediation (restart Odoo) on each target, prints its progress step by step and its restart log, then keeps
# the server running until Ctrl+C (or exits with --once).
set -euo pipefail
cd "$(dirname "$0")"

once=0
[[ "${1:-}" == "--once" ]] && once=1
url="${REMEDIATION_URL:-http://127.0.0.1:7071}"

if [[ $(id -u) -ne 0 ]]; then
  echo "run-local.sh needs root: the demo target creates the ops user, a sudoers drop-in and its daemons" >&2
  exit 1
fi

echo "==> demo targets (demo: supervisor, demo-systemd: systemd) and Azurite (tests/fixture/up.sh)"
bash tests/fixture/up.sh | tail -n 1

echo "==> building the server"
dotnet build -c Release -v quiet -nologo src/Remediation.Server >/dev/null

echo "==> starting the server on $url"
export Remediation__InventoryFile=/var/lib/remediation-fixture/inventory.json
export ASPNETCORE_URLS="$url"
log="$(mktemp -t remediation-server.XXXX.log)"
dotnet src/Remediation.Server/bin/Release/net10.0/Remediation.Server.dll >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -sf "$url/healthz" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
echo "    server log: $log"

# One sample restart of Odoo on a target: POST, its progress step by step, its restart log.
sample_restart() {
  local target="$1" accepted id
  echo "==> POST /api/remediations (restart odoo on target $target)"
  accepted=$(curl -sS -X POST "$url/api/remediations" -H 'content-type: application/json' \
    -d '{"target":"'"$target"'","procedure":"restart-service","service":"odoo","reason":"Demo: service unresponsive","requestedBy":"'"${USER:-operator}"'","force":true}')
  id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$accepted")
  echo "    202 Accepted: $url/api/remediations/$id"

  echo "==> progress ($target)"
  python3 - "$url/api/remediations/$id" <<'PY'
import json, sys, time, urllib.request
url, shown, deadline = sys.argv[1], 0, time.time() + 180
while time.time() < deadline:
    view = json.load(urllib.request.urlopen(url))
    steps = (view.get("progress") or {}).get("steps", [])
    for step in steps[shown:]:
        if step["status"] == "Running":
            break
        print(f"    [{step['status']:>9}] {step['name']} ({step.get('durationMs') or 0} ms): {step['summary']}")
        shown += 1
    if view["runtimeStatus"] in ("Completed", "Failed", "Terminated"):
        result = view.get("result") or {}
        print(f"    run {view['runtimeStatus']}: {result.get('resolution') or view.get('failure')}")
        for warning in result.get("warnings") or []:
            print(f"    warning: {warning}")
        break
    time.sleep(0.2)
PY

  echo "==> restart log ($url/api/remediations/$id/restart-log)"
  curl -sS "$url/api/remediations/$id/restart-log" | sed 's/^/    /'
  last_id="$id"
}

# Both demo targets: "demo" (supervisor on this host) and "demo-systemd" (systemd as PID 1 of a container).
sample_restart demo
sample_restart demo-systemd

if (( once )); then
  exit 0
fi
echo "==> the server keeps running on $url (Ctrl+C to stop); try: curl -s $url/api/remediations/$last_id"
wait $server
