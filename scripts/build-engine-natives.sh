#!/usr/bin/env bash
# Builds the built-in engine's native libraries (libllama, libggml*, libmtmd) for THIS CPU
# (GGML_NATIVE=ON), once per machine, into a cache outside the repo; `modelswap engine` loads them
# from there instead of LLamaSharp.Backend.Cpu's prebuilt, generic AVX2/AVX-512 ones.
#
# Why: the prebuilt libraries spend ~13% more CPU per token than the same kernels compiled with
# -march=native (llama-server's build), nearly all of it in ggml's dot products.
#
# Same llama.cpp source as scripts/build-llama-server.sh (scripts/llama-source.sh), plus
# scripts/llamasharp-<version>-abi.patch: the tag's llama.h added two fields that LLamaSharp
# does not marshal (llama_model_params.lazy_mode, llama_context_params.n_outputs_max_per_seq) and
# mtmd.h one (mtmd_context_params.device); the patch removes them and keeps their defaults inside,
# so the structs are byte for byte the ones LLamaSharp passes. The engine checks the `abi` file
# written here against its LLamaSharp version and this CPU's flags against `cpu-flags`, and falls
# back to the prebuilt libraries on any mismatch.
#
# A separate build tree from llama-server's on purpose: the baseline stays unpatched upstream
# (static), and the shared libraries need -fPIC objects anyway, so nothing could be reused.
#
# Prints the library folder as its LAST line on stdout; everything else goes to stderr.
#   bash scripts/build-engine-natives.sh          # build if absent, print the folder
#   ENGINE_NATIVES_CACHE=DIR bash scripts/…       # cache root (default ~/.cache/modelswap/engine-natives)
set -euo pipefail

log_tag=build-engine-natives
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=llama-source.sh
source "$here/llama-source.sh"

llamasharp=$(grep -o -E '"LLamaSharp" Version="[^"]+"' "$here/../Directory.Packages.props" | grep -o -E '[0-9][^"]*')
patch="$here/llamasharp-$llamasharp-abi.patch"
if [[ ! -f $patch ]]; then
  log "no ABI patch for LLamaSharp $llamasharp ($patch): compare its marshalled structs with llama.h and write one"
  exit 1
fi
# $ORIGIN: each library finds its siblings (libllama -> libggml -> libggml-cpu) in its own folder.
cmake_flags=(-G Ninja -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=ON -DLLAMA_OPENSSL=OFF -DLLAMA_USE_PREBUILT_UI=OFF
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DCMAKE_BUILD_TYPE=Release
  -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON '-DCMAKE_INSTALL_RPATH=$ORIGIN')

cache_root=${ENGINE_NATIVES_CACHE:-$HOME/.cache/modelswap/engine-natives}
key="$llama_tag-llamasharp-$llamasharp-$(cat <(echo "${cmake_flags[*]}") "$patch" | md5sum | cut -c1-8)-$(llama_cpu_key)"
dest="$cache_root/$key"

usable() { [[ -f $dest/libllama.so && -f $dest/libmtmd.so && -f $dest/abi ]]; }
publish() {
  # `current` is where the engine looks by default; the newest build wins.
  ln -sfn "$key" "$cache_root/current"
  echo "$dest"
}

if usable; then
  publish
  exit 0
fi

llama_require_tools
mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
if usable; then
  publish
  exit 0
fi

work=$(mktemp -d "$cache_root/.build-XXXXXX")
trap 'rm -rf "$work"' EXIT
llama_fetch_source "$work"
git -C "$work/src" apply "$patch"

log "building libllama + libmtmd $llama_tag for this CPU (about 6 CPU-minutes: 3 on 2 idle cores)"
cmake -S "$work/src" -B "$work/build" "${cmake_flags[@]}" >"$work/cmake.log" 2>&1 \
  || { tail -n 30 "$work/cmake.log" >&2; exit 1; }
cmake --build "$work/build" --target llama mtmd -j "$(nproc)" >"$work/build.log" 2>&1 \
  || { tail -n 40 "$work/build.log" >&2; exit 1; }

mkdir -p "$dest.tmp"
# With their versioned names: libllama.so needs libggml.so.0, found beside it through $ORIGIN.
cp -a "$work"/build/bin/lib*.so* "$dest.tmp/"
echo "LLamaSharp $llamasharp" >"$dest.tmp/abi"
llama_cpu_flags >"$dest.tmp/cpu-flags"
echo "llama.cpp $llama_tag $(git -C "$work/src" rev-parse HEAD) + $(basename "$patch")" >"$dest.tmp/source"
rm -rf "$dest" && mv "$dest.tmp" "$dest"
log "built $(ls "$dest" | tr '\n' ' ')"
publish
