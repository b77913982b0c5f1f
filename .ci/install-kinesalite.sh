#!/usr/bin/env bash
# Installs the Kinesis emulator kinesalite (npm registry) for the Kinesis source tests into .ci/cache/node (gitignored).
# Idempotent: does nothing when the pinned version is already there. Needs Node.js >= 16 and npm on PATH.
# The tests find it at .ci/cache/node/node_modules/kinesalite/cli.js (override with -Dkinesalite.cli=PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.ci/cache/node"
VERSION="3.3.3"
CLI="$DIR/node_modules/kinesalite/cli.js"
if [ -f "$CLI" ] && grep -q "\"version\": \"$VERSION\"" "$DIR/node_modules/kinesalite/package.json" 2>/dev/null; then
  echo "kinesalite $VERSION already installed: $CLI"
  exit 0
fi
mkdir -p "$DIR"
[ -f "$DIR/package.json" ] || echo '{"name":"flight-controller-ci-node","private":true}' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "kinesalite@$VERSION"
node "$CLI" --help >/dev/null
echo "kinesalite $VERSION installed: $CLI"
