#!/usr/bin/env bash
# Runs every test layer (Unit, Orchestration, EndToEnd), then the secrets audit, and ends with "N passed, N failed" over both.
# The EndToEnd layer brings up the target-host fixture itself (tests/fixture/up.sh; needs root) and stops it after.
# Pass a filter to run one layer: ./test.sh "Category=Unit"
set -uo pipefail
cd "$(dirname "$0")"

filter="${1:-}"
results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# Build the whole solution first: `dotnet test` alone builds only what the test project references, and the
# Functions app (checked by FunctionsRegistrationTests) and the benchmark must compile too.
if ! dotnet build Remediation.sln -c Release -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

# Two passes: everything but the secrets audit, then the audit (trait Phase=Audit), which reads what the first pass
# left behind (server logs, blobs, task hub tables and queues) and must therefore run after it.
run() { # run FILTER TRX-NAME
  dotnet test Remediation.sln -c Release --no-build --logger "trx;LogFileName=$2" --results-directory "$results" --filter "$1"
}
if [[ -n "$filter" ]]; then
  run "($filter)&Phase!=Audit" results.trx; status=$?
  run "($filter)&Phase=Audit" audit.trx || status=1
else
  run "Phase!=Audit" results.trx; status=$?
  run "Phase=Audit" audit.trx || status=1
fi

passed=0; failed=0
for trx in "$results"/*.trx "$results"/*/*.trx; do
  [[ -f "$trx" ]] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if (( status != 0 && failed == 0 )); then
  failed=1   # the build or the test host failed before any result was written
fi
echo "${passed} passed, ${failed} failed"
exit $(( status != 0 || failed != 0 ))
