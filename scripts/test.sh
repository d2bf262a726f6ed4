#!/usr/bin/env bash
# Runs every test of ModelSwap. Installs what the tests need on a fresh Debian 12 machine that has
# only the .NET SDK, builds once, runs every test project, and prints the totals as its LAST line:
#   N passed, M failed, K skipped
set -uo pipefail
# Started in the background by a shell without job control (`bash scripts/test.sh &`, nohup), this
# script inherits SIGINT and SIGQUIT as ignored, and so would every process the tests start: .NET keeps
# an inherited ignore, so the Ctrl+C tests would see their signal vanish (a pull that never stops). A
# shell cannot undo an ignore it inherited, so run again under perl (perl-base is part of every Debian)
# with both signals back to their defaults.
if (( 0x$(awk '/^SigIgn:/ {print $2}' /proc/self/status 2>/dev/null || echo 0) & 0x6 )) && [[ -z ${MODELSWAP_SIGNALS_RESET:-} ]]; then
  exec env MODELSWAP_SIGNALS_RESET=1 perl -e '$SIG{INT} = $SIG{QUIT} = "DEFAULT"; exec @ARGV or die "exec: $!"' bash "$0" "$@"
fi
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/.test-output"
rm -rf "$results" && mkdir -p "$results"

log() { echo "[test.sh] $*" >&2; }

install_prerequisites() {
  local missing=()
  # libgomp1: llama.cpp's native libraries (LLamaSharp) link against it.
  dpkg -s libgomp1 >/dev/null 2>&1 || missing+=(libgomp1)
  command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
  if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
      log "installing: ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
      log "missing packages (need root to install): ${missing[*]}"
    fi
  fi
  # The real llama-server that tests/ModelSwap.LlamaServer.Tests run: built from source once per
  # machine (about 12 minutes on 2 cores), then answered from its cache in a second. A failed build
  # is not hidden: those tests then fail saying why.
  local llama_server
  if llama_server=$(bash scripts/build-llama-server.sh 2>"$results/llama-server-build.log" | tail -n 1) && [[ -x $llama_server ]]; then
    export MODELSWAP_TEST_LLAMA_SERVER=$llama_server
    log "llama-server: $llama_server"
  else
    log "building llama-server failed: see $results/llama-server-build.log"
  fi
  # The engine's llama.cpp libraries built for this CPU (scripts/build-engine-natives.sh: the same
  # source, patched to LLamaSharp's struct layouts; a few minutes on 2 cores, then from its cache).
  # tests/ModelSwap.Engine.Tests' LibrarySetTests run the engine on them and on the prebuilt ones; every
  # other test runs the prebuilt ones (tests/PrebuiltEngineLibraries.cs). On a failed build the variable
  # names the log, so those tests fail quoting it instead of building again under the hang timeout.
  local natives
  if natives=$(bash scripts/build-engine-natives.sh 2>"$results/engine-natives-build.log" | tail -n 1) && [[ -f $natives/libllama.so ]]; then
    export MODELSWAP_TEST_ENGINE_NATIVES=$natives
    log "engine natives: $natives"
  else
    export MODELSWAP_TEST_ENGINE_NATIVES="$results/engine-natives-build.log"
    log "building the engine natives failed: see $results/engine-natives-build.log"
  fi
  # Extra per-suite setup (node packages, browsers) lives beside the suite that needs it.
  for setup in tests/*/setup.sh; do
    [[ -f $setup ]] && { log "running $setup"; bash "$setup" || log "$setup failed"; }
  done
}

install_prerequisites
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log "building"
dotnet build ModelSwap.slnx -c Release -v quiet -nologo >"$results/build.log" 2>&1
build_status=$?
if ((build_status != 0)); then
  grep -E 'error|Error' "$results/build.log" | sort -u | head -n 40
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --blame-hang-timeout 5m -- RunConfiguration.TestSessionTimeout=1500000 || status=1
done

passed=0 failed=0 skipped=0 found=0
for trx in "$results"/*.trx; do
  [[ -f $trx ]] || continue
  found=$((found + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done
expected=$(ls tests/*.Tests/*.Tests.csproj | wc -l)
if ((found < expected)); then
  log "only $found of $expected test projects produced results"
  failed=$((failed + expected - found))
fi
((failed > 0)) && status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
