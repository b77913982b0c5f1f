#!/usr/bin/env bash
# Makes sure a Node.js that the CDK's Java library (jsii) and the CDK CLI support is on PATH (>= 18; 20 or newer
# preferred), installing Debian's nodejs/npm when it is missing. Meant to be called from .ci/run before the infra-cdk
# tests; with --cli it also installs the pinned CDK CLI into infra-cdk/node_modules (only `cdk synth` needs it).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/'; }

if ! command -v node >/dev/null 2>&1 || [ "$(major)" -lt 18 ]; then
  echo "ensure-node: installing nodejs and npm from the distribution" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
echo "ensure-node: node $(node --version 2>/dev/null | tail -1)" >&2
if [ "$(major)" -lt 18 ]; then
  echo "ensure-node: node $(node --version) is too old for aws-cdk-lib (needs >= 18)" >&2
  exit 1
fi

if [ "${1:-}" = "--cli" ]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
  echo "ensure-node: cdk $(cd "$here" && npx --no-install cdk --version | tail -1)" >&2
fi
