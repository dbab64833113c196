#!/usr/bin/env bash
# The conformance runner over every description, the largest too (CI leaves out those over
# CONFORMANCE_MAX_OPERATIONS for time). Needs Prism in target/prism (see .ci/run) or PRISM_BIN,
# and ../shared for the corpus. The table is printed and written to target/conformance-report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PRISM_BIN:-}" ] && [ ! -x target/prism/node_modules/.bin/prism ]; then
  npm install --no-save --no-fund --no-audit --prefix target/prism @stoplight/prism-cli@5.16.0
fi
unset CONFORMANCE_MAX_OPERATIONS
time cargo test -p clientgen-tests --test conformance -- --ignored --nocapture
