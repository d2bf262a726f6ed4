#!/usr/bin/env bash
# Installs `modelswap` for this user: a self-contained build (it runs without a .NET runtime) in
# $PREFIX/share/modelswap, linked as $PREFIX/bin/modelswap. PREFIX defaults to ~/.local, so the
# command lands in ~/.local/bin. Building needs the .NET 10 SDK; running again upgrades in place.
#   bash scripts/install.sh            # or: PREFIX=/opt/modelswap bash scripts/install.sh
#   bash scripts/install.sh --framework-dependent
# --framework-dependent installs a build that runs on the machine's .NET 10 runtime instead of
# carrying its own: a fraction of the size, built from the solution's usual outputs (no runtime pack
# to fetch, no per-platform rebuild of every project), which is what the install test uses.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-$HOME/.local}"
mode=self-contained
for arg in "$@"; do
  case "$arg" in
    --framework-dependent) mode=framework-dependent ;;
    -h | --help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option '$arg' (options: --framework-dependent)" >&2; exit 2 ;;
  esac
done

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) rid=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) rid=linux-arm64 ;;
  Darwin-arm64) rid=osx-arm64 ;;
  Darwin-x86_64) rid=osx-x64 ;;
  *) echo "install.sh: unsupported platform $(uname -s)-$(uname -m); on Windows run: dotnet publish src/ModelSwap.Cli -c Release -r win-x64 --self-contained" >&2; exit 2 ;;
esac
command -v dotnet >/dev/null || { echo "install.sh: the .NET 10 SDK is needed to build (https://dot.net)" >&2; exit 2; }

app="$prefix/share/modelswap"
staging="$prefix/share/.modelswap-staging"
rm -rf "$staging"
echo "building modelswap ($mode) for $rid …" >&2
# PackAsTool is for `dotnet pack`; a published build is a plain application.
if [[ $mode == self-contained ]]; then
  dotnet publish src/ModelSwap.Cli -c Release -r "$rid" --self-contained -p:PackAsTool=false \
    -nologo -v quiet -o "$staging" >&2
else
  dotnet publish src/ModelSwap.Cli -c Release --no-self-contained -p:PackAsTool=false \
    -nologo -v quiet -o "$staging" >&2
fi
# Swap the new build in only once it is complete, so a failed build leaves the old one working.
rm -rf "$app.old"
[[ -d $app ]] && mv "$app" "$app.old"
mv "$staging" "$app"
rm -rf "$app.old"
mkdir -p "$prefix/bin"
ln -sfn "$app/modelswap" "$prefix/bin/modelswap"

echo "installed: $prefix/bin/modelswap ($("$prefix/bin/modelswap" version))" >&2
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it: export PATH=\"$prefix/bin:\$PATH\"" >&2 ;;
esac
