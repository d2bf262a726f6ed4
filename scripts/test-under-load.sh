#!/usr/bin/env bash
# Runs the whole suite N times (default 5) in a row while `stress-ng --cpu 2` loads the machine
# beside it, and prints each run's totals (the last line of scripts/test.sh). Installs stress-ng
# from Debian when missing. Exit status: 0 when every run passed.
#   bash scripts/test-under-load.sh [N]
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
if ! [[ $runs =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N]   (N runs of scripts/test.sh, default 5)" >&2
  exit 2
fi
if ! command -v stress-ng >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq stress-ng >/dev/null
  fi
  command -v stress-ng >/dev/null 2>&1 || { echo "stress-ng is missing (Debian package stress-ng)" >&2; exit 1; }
fi

stress-ng --cpu 2 --quiet &
stress=$!
# Ends the load however this script ends.
trap 'kill "$stress" 2>/dev/null; wait "$stress" 2>/dev/null' EXIT

logs=$(mktemp -d)
failed_runs=0
for ((i = 1; i <= runs; i++)); do
  start=$(date +%s)
  bash scripts/test.sh >"$logs/run-$i.log" 2>&1
  status=$?
  totals=$(tail -n 1 "$logs/run-$i.log")
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  echo "run $i/$runs: $totals ($(( $(date +%s) - start )) s, load $load)"
  if ((status != 0)); then
    failed_runs=$((failed_runs + 1))
    grep -h -E '^\s+Failed [A-Za-z]' "$logs/run-$i.log" | sed 's/^/    /' | sort -u | head -n 20
  fi
done
echo "$((runs - failed_runs)) of $runs runs passed under stress-ng --cpu 2 (logs: $logs)"
((failed_runs == 0))
