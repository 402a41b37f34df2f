#!/bin/sh
# Usage: setup.sh SOURCE_DIR BUILD_DIR
# Installs the browser tests' npm packages (package-lock.json, exactly)
# into BUILD_DIR/node_modules. Exit 77 (skipped) when node, npm or chromium
# is missing, except under CI=true, where a missing tool fails the test:
# CI must not test less than it says.
set -eu
src=$1 out=$2
for tool in node npm chromium; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "browser tests skipped: $tool is missing (scripts/setup.sh installs it)"
        [ "${CI:-}" = true ] && exit 1
        exit 77
    fi
done
mkdir -p "$out"
cp "$src/package.json" "$src/package-lock.json" "$out/"
cd "$out"
npm ci --no-audit --no-fund --loglevel=error
