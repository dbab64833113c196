#!/usr/bin/env bash
# The corpus runner with the typed mocks (`mock`) checked on every corpus crate, the two
# GitHub descriptions and the other large ones included (CI checks those of at most 300
# operations). `cargo check -D warnings` of each crate with `--features mock`.
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS_MOCK=all cargo test -p clientgen-tests --test corpus -- --ignored --nocapture
