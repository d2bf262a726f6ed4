#!/usr/bin/env bash
# Installs `modelswap` for this user: a self-contained build (it runs without a .NET runtime) in
# $PREFIX/share/modelswap, linked as $PREFIX/bin/modelswap. PREFIX defaults to ~/.local, so the
# command lands in ~/.local/bin. Building needs the .NET 10 SDK; running again upgrades in place.
#   bash scripts/install.sh            # or: PREFIX=/opt/modelswap bash scripts/install.sh
set -euo pipefail
cd "$(dirname "$0")/.."
prefix="${PREFIX:-$HOME/.local}"

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
echo "building modelswap for $rid …" >&2
# PackAsTool is for `dotnet pack`; a self-contained publish is a plain application.
dotnet publish src/ModelSwap.Cli -c Release -r "$rid" --self-contained -p:PackAsTool=false \
  -nologo -v quiet -o "$staging" >&2
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
