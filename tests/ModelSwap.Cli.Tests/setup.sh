#!/usr/bin/env bash
# The service-install test checks the written unit with systemd-analyze verify (Debian's systemd package).
set -euo pipefail
if ! command -v systemd-analyze >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq systemd >/dev/null
  else
    echo "systemd-analyze is missing (install Debian's systemd package)" >&2
    exit 1
  fi
fi
