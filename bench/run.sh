#!/usr/bin/env bash
# Runs the benchmarks. Installs nginx (the gateway's second baseline) when missing.
# Usage: bash bench/run.sh [gateway] [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
# nginx: the gateway's second baseline; wrk: a C load generator, so the client takes little CPU.
missing=()
[[ -x /usr/sbin/nginx ]] || missing+=(nginx)
[[ -x /usr/bin/wrk ]] || missing+=(wrk)
if ((${#missing[@]})) && [[ $(id -u) -eq 0 ]]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
fi
which=${1:-all}
[[ $which == --* ]] && which=all
args=("${@}")
args=("${args[@]/gateway/}")
if [[ $which == all || $which == gateway ]]; then
  dotnet build bench/ModelSwap.Bench.Gateway -c Release -v quiet -nologo >/dev/null
  dotnet bench/ModelSwap.Bench.Gateway/bin/Release/net10.0/ModelSwap.Bench.Gateway.dll ${args[@]+"${args[@]}"}
fi
if [[ $which == all || $which == readiness ]]; then
  dotnet run -c Release --project bench/ReadinessLatency -- 20
fi
