#!/usr/bin/env bash
# Runs the benchmarks. Installs nginx (the gateway's second baseline) when missing.
# Usage: bash bench/run.sh [gateway|scan|readiness|engine|download|llama-server] [--quick]
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
args=("${args[@]/scan/}")
if [[ $which == all || $which == gateway ]]; then
  dotnet build bench/ModelSwap.Bench.Gateway -c Release -v quiet -nologo >/dev/null
  dotnet bench/ModelSwap.Bench.Gateway/bin/Release/net10.0/ModelSwap.Bench.Gateway.dll ${args[@]+"${args[@]}"}
fi
if [[ $which == all || $which == scan ]]; then
  dotnet build bench/ModelSwap.Bench.Scan -c Release -v quiet -nologo >/dev/null
  dotnet bench/ModelSwap.Bench.Scan/bin/Release/net10.0/ModelSwap.Bench.Scan.dll
fi
if [[ $which == all || $which == readiness ]]; then
  dotnet run -c Release --project bench/ReadinessLatency -- 20
fi
if [[ $which == all || $which == engine ]]; then
  # The baseline is the real llama-server, found or built the way scripts/test.sh does (cached per machine).
  LLAMA_SERVER=${LLAMA_SERVER:-$(bash scripts/build-llama-server.sh | tail -n 1)}
  export LLAMA_SERVER
  # The engine's llama.cpp built for this CPU (cached per machine like llama-server; the engine loads it by
  # default): measured beside LLamaSharp's prebuilt libraries. Without it, the prebuilt ones alone.
  natives=()
  if bash scripts/build-engine-natives.sh >/dev/null; then
    natives=(--natives prebuilt=prebuilt)
  else
    echo "bench: scripts/build-engine-natives.sh failed; the engine runs LLamaSharp's prebuilt libraries" >&2
  fi
  dotnet build bench/ModelSwap.Bench.Engine -c Release -v quiet -nologo >/dev/null
  # Only the word `engine` itself is dropped: a --natives path may contain it (…/engine-natives/…).
  eargs=()
  for arg in "$@"; do [[ $arg == engine ]] || eargs+=("$arg"); done
  eargs+=(${natives[@]+"${natives[@]}"})
  dotnet bench/ModelSwap.Bench.Engine/bin/Release/net10.0/ModelSwap.Bench.Engine.dll ${eargs[@]+"${eargs[@]}"}
fi
if [[ $which == all || $which == download ]]; then
  dotnet run -c Release --project bench/ModelSwap.Bench.Download -- --size-mb 200 --rounds 5
fi
if [[ $which == all || $which == llama-server ]]; then
  # The real llama-server, built once per machine by the script (cached; about 12 minutes the first time).
  LLAMA_SERVER=${LLAMA_SERVER:-$(bash scripts/build-llama-server.sh | tail -n 1)}
  export LLAMA_SERVER
  dotnet build bench/ModelSwap.Bench.LlamaServer -c Release -v quiet -nologo >/dev/null
  largs=("${@}")
  largs=("${largs[@]/llama-server/}")
  dotnet bench/ModelSwap.Bench.LlamaServer/bin/Release/net10.0/ModelSwap.Bench.LlamaServer.dll ${largs[@]+"${largs[@]}"}
fi
