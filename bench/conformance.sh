#!/usr/bin/env bash
# The conformance runner over every description, timed (as `.ci/run` runs it). Needs Prism in
# target/prism (installed here if missing) or PRISM_BIN, and ../shared for the corpus. The table
# is printed and written to target/conformance-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PRISM_BIN:-}" ] && [ ! -x target/prism/node_modules/.bin/prism ]; then
  npm install --no-save --no-fund --no-audit --prefix target/prism @stoplight/prism-cli@5.16.0
fi
unset CONFORMANCE_MAX_OPERATIONS
time cargo test -p clientgen-tests --test conformance -- --ignored --nocapture
