#!/usr/bin/env bash
# Installs the pinned npm clients (openai, AI SDK, LangChain) for the Node client tests (NodeClientTests here,
# EngineAgentClientsThroughGatewayTests in ModelSwap.Gateway.Tests).
set -euo pipefail
cd "$(dirname "$0")/node"
npm ci --no-audit --no-fund
