# Sourced by scripts/build-llama-server.sh and scripts/build-engine-natives.sh: the one place that
# says which llama.cpp is built and how its source is fetched, so the baseline llama-server and the
# engine's native libraries always come from the same source.
#
# Why from source: nothing may be downloaded from a hub or a vendor at test time, and the only
# registries reached are Debian's, NuGet and npm. llama.cpp's source ships inside npm's
# node-llama-cpp package as a git bundle (package/llama/gitRelease.bundle, tag v0.5.0).
# Callers set `log_tag` (the prefix of their stderr lines) before sourcing.

node_llama_cpp_version=3.22.1
llama_tag=v0.5.0

log() { echo "[${log_tag:-llama-source}] $*" >&2; }

# GGML_NATIVE tunes for this CPU, so a cache key must carry the CPU's flags: a build made on another
# CPU (a migrated VM, a copied home) is never used here.
llama_cpu_flags() { grep -m1 -o -E '^flags.*' /proc/cpuinfo 2>/dev/null || true; }
llama_cpu_key() { llama_cpu_flags | md5sum | cut -c1-8; }

# Installs cmake/ninja/g++/git/npm when missing (only as root); fails with the list otherwise.
llama_require_tools() {
  local missing=() tool
  for tool in cmake ninja g++ git npm; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) -ne 0 ]]; then
    log "missing tools: ${missing[*]} (need root to install them)"
    return 1
  fi
  log "installing cmake ninja-build g++ git (for: ${missing[*]})"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cmake ninja-build g++ git nodejs npm >/dev/null
}

# Clones llama.cpp $llama_tag into "$1/src" from the bundle inside node-llama-cpp's npm package.
llama_fetch_source() {
  local work=$1
  log "fetching node-llama-cpp@$node_llama_cpp_version from npm"
  (cd "$work" && npm pack --silent "node-llama-cpp@$node_llama_cpp_version" >/dev/null)
  tar -xzf "$work/node-llama-cpp-$node_llama_cpp_version.tgz" -C "$work" package/llama/gitRelease.bundle
  git -c advice.detachedHead=false clone -q --branch "$llama_tag" "$work/package/llama/gitRelease.bundle" "$work/src" 2>/dev/null \
    || git clone -q "$work/package/llama/gitRelease.bundle" "$work/src"
}
