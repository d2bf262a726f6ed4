#!/usr/bin/env bash
# Installs the official openai npm package for the Node client test (EngineNodeClientTests).
set -euo pipefail
cd "$(dirname "$0")/node"
npm ci --no-audit --no-fund
