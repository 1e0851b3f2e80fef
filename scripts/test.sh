#!/usr/bin/env bash
# The whole test suite: strict type check, then every test/*.test.ts with node's test runner, one
# file at a time (the browser tests would otherwise compete for the machine's two cores).
# The last line is "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
echo "typecheck: tsc --noEmit (strict)"
tsc -p tsconfig.json
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=./test/support/count-reporter.ts --test-reporter-destination=stdout \
  "${@:-test/*.test.ts}"
