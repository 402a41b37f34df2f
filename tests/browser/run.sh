#!/bin/sh
# Usage: run.sh BUILD_DIR PAGE_TEST_JS OASIS_INDEX OASIS_SERVE CORPUS
# Runs the page test with the packages setup.sh installed in BUILD_DIR.
# Exit 77 (skipped) when they or chromium are missing (1 under CI=true).
set -eu
out=$1 test=$2
shift 2
chromium=$(command -v chromium || true)
if [ -z "$chromium" ] || [ ! -d "$out/node_modules/playwright-core" ]; then
    echo "browser tests skipped: chromium or playwright-core is missing"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
NODE_PATH=$out/node_modules exec node "$test" "$@" "$out" "$chromium"
