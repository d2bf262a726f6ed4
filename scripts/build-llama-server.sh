#!/usr/bin/env bash
# Builds llama.cpp's llama-server from source, once per machine, into a cache outside the repo.
#
# The source and how it is fetched are shared with scripts/build-engine-natives.sh (scripts/llama-source.sh).
#
# Prints the binary's path as its LAST line on stdout; everything else goes to stderr.
#   bash scripts/build-llama-server.sh            # build if absent, print the path
#   LLAMA_SERVER_CACHE=DIR bash scripts/…         # cache root (default ~/.cache/modelswap/llama-server)
set -euo pipefail

log_tag=build-llama-server
# shellcheck source=llama-source.sh
source "$(dirname "${BASH_SOURCE[0]}")/llama-source.sh"
cmake_flags=(-G Ninja -DLLAMA_OPENSSL=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DBUILD_SHARED_LIBS=OFF
  -DGGML_NATIVE=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release)

cache_root=${LLAMA_SERVER_CACHE:-$HOME/.cache/modelswap/llama-server}
# The key names the source and the flags: a change of either builds anew beside the old one.
# GGML_NATIVE tunes for this CPU, so the CPU's flags are part of the key too.
cpu_flags=$(llama_cpu_key)
key="$llama_tag-$(echo "${cmake_flags[*]}" | md5sum | cut -c1-8)-$cpu_flags"
dest="$cache_root/$key"
binary="$dest/bin/llama-server"

if [[ -x $binary ]] && "$binary" --version >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi

llama_require_tools

mkdir -p "$cache_root"
# One build at a time per cache: two test runs starting together must not race on one folder.
exec 9>"$cache_root/.lock"
flock 9
if [[ -x $binary ]] && "$binary" --version >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi

work=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
llama_fetch_source "$work"

log "building llama-server $llama_tag (about 12 minutes on 2 cores)"
cmake -S "$work/src" -B "$work/build" "${cmake_flags[@]}" >"$work/cmake.log" 2>&1 \
  || { tail -n 30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --target llama-server -j "$(nproc)" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; exit 1; }

mkdir -p "$dest.tmp/bin"
cp "$work/build/bin/llama-server" "$dest.tmp/bin/"
"$dest.tmp/bin/llama-server" --version >"$dest.tmp/version.txt" 2>&1 || true
rm -rf "$dest" && mv "$dest.tmp" "$dest"
log "built $(grep -m 1 "^version:" "$dest/version.txt" || head -n 1 "$dest/version.txt")"
echo "$binary"
