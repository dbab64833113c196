#!/usr/bin/env bash
# Real Swagger 2.0 descriptions, read as they are: each generates a crate that must pass
# `cargo check` with `-D warnings` (default features, then `--all-features`). The
# descriptions are not part of this repository (their providers' terms vary); DIR holds them,
# one provider per file, with a MANIFEST*.tsv saying where each came from.
#
#   bench/swagger2-corpus.sh DIR      DIR/*.yaml and DIR/*.json
#
# Prints a table (provider, operations, types, generation ms, warnings, result) and writes it
# to target/swagger2-corpus/results.md. Generation times are of the release binary, one run.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: bench/swagger2-corpus.sh DIR}
out=$PWD/target/swagger2-corpus
ws=$out/ws
rm -rf "$ws"
mkdir -p "$ws"
cargo build --release -q -p clientgen
bin=$PWD/target/release/clientgen
members=()
rows=()
for spec in "$dir"/*.yaml "$dir"/*.json; do
  [ -f "$spec" ] || continue
  name=$(basename "$spec" | sed 's/\.[a-z]*$//; s/[^A-Za-z0-9]/_/g; s/^/s2_/' | tr 'A-Z' 'a-z')
  started=$(date +%s%N)
  if "$bin" generate --spec "$spec" --out "$ws/$name" --name "$name" --license MIT >"$out/$name.log" 2>&1; then
    ms=$(( ($(date +%s%N) - started) / 1000000 ))
    summary=$(tail -1 "$out/$name.log")
    ops=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) operations\{0,1\}, \([0-9]*\) types\{0,1\},.*/\1/p')
    types=$(echo "$summary" | sed -n 's/.*: \([0-9]*\) operations\{0,1\}, \([0-9]*\) types\{0,1\},.*/\2/p')
    warnings=$(grep -c ': warning: ' "$out/$name.log" || true)
    members+=("$name")
    rows+=("$(basename "$spec")|$ops|$types|$ms|$warnings|$name")
  else
    rows+=("$(basename "$spec")|-|-|-|-|generation failed: $(grep -m1 'error' "$out/$name.log" | cut -c1-120)")
  fi
done
{
  echo '[workspace]'
  echo 'resolver = "2"'
  printf 'members = ['
  for m in "${members[@]}"; do printf '"%s", ' "$m"; done
  echo ']'
} >"$ws/Cargo.toml"
check() { # FEATURE-ARGS...
  (cd "$ws" && CARGO_TARGET_DIR=$PWD/../../generated-check RUSTFLAGS="-D warnings" \
    cargo check --workspace --keep-going --message-format short "$@" 2>&1) || true
}
default=$(check)
all=$(check --all-features)
{
  echo "| description | operations | types | generation ms | warnings | cargo check -D warnings |"
  echo "|---|---:|---:|---:|---:|---|"
  ok=0
  for row in "${rows[@]}"; do
    IFS='|' read -r file ops types ms warnings name <<<"$row"
    if [ "$ops" = "-" ]; then
      echo "| $file | - | - | - | - | $name |"
      continue
    fi
    result=ok
    if echo "$default" | grep -q "^$name/\|could not compile \`$name\`"; then result="fails (default features)"; fi
    if echo "$all" | grep -q "^$name/\|could not compile \`$name\`"; then result="$result; fails (all features)"; fi
    [ "$result" = ok ] && ok=$((ok + 1))
    echo "| $file | $ops | $types | $ms | $warnings | $result |"
  done
  echo
  echo "$ok of ${#rows[@]} descriptions generate and check clean with default and all features."
} | tee "$out/results.md"
