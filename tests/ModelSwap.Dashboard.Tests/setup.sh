#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard's end-to-end tests (Playwright drives /usr/bin/chromium;
# Playwright's own browser download is never used: it cannot be fetched here).
set -euo pipefail
if [[ ! -x /usr/bin/chromium ]]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
/usr/bin/chromium --version
