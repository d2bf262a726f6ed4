#!/usr/bin/env bash
# Installs the official ollama npm package (ollama-js, pinned in ollama-js/package-lock.json) for
# OllamaJsClientTests.
set -euo pipefail
cd "$(dirname "$0")/ollama-js"
npm ci --no-audit --no-fund
