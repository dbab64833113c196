#!/usr/bin/env bash
# `cargo package` of generated crates: stytch-b2b and the generator with verification (each
# package built from its .crate file), then a crate generated from each corpus description
# (or the first $SAMPLE of them) packaged without verification, counting the warnings cargo
# prints. Every crate must package with none. Each corpus crate gets the licence of its
# description's repository (corpus-MANIFEST.tsv) with --license, as its maintainer would.
#
#   bench/package.sh               everything (a few minutes; the verified builds dominate)
#   SAMPLE=5 bench/package.sh      the first 5 corpus descriptions
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="$root/target/generated-check"
echo "== cargo package -p clientgen -p stytch-b2b (verified)"
cargo package -p clientgen -p stytch-b2b --allow-dirty --offline 2>&1 | tee target/package.log \
  | grep -E "^(warning|error)" && { echo "warnings above" >&2; exit 1; }
cargo build -q -p clientgen
clientgen="$root/target/debug/clientgen"
corpus=$(sh ../shared/unpack-corpus "$root/target/corpus")
# Outside the workspace, so that each crate is a package of its own.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
count=0 failed=0
while IFS=$'\t' read -r file _ _ _ license _; do
  [ "$file" = file ] && continue
  [ -n "${SAMPLE:-}" ] && [ "$count" -ge "$SAMPLE" ] && break
  count=$((count + 1))
  license=${license%% *}   # "MIT (sonallux repo); ..." -> MIT
  name=corpus-$(basename "$file" | sed 's/\.[a-z]*$//; s/[^A-Za-z0-9]/-/g' | tr 'A-Z' 'a-z')
  dir="$work/$name"
  "$clientgen" generate --spec "$corpus/$file" --out "$dir" --name "$name" --quiet \
    --license "$license" >/dev/null
  cp "$root/Cargo.lock" "$dir/"
  if out=$(cd "$dir" && cargo package --no-verify --offline --allow-dirty 2>&1) \
      && ! grep -q "^warning" <<<"$out"; then
    printf '%-45s ok\n' "$name"
  else
    printf '%-45s FAILED\n%s\n' "$name" "$out"
    failed=$((failed + 1))
  fi
done < "$corpus/MANIFEST.tsv"
echo "$count corpus crates packaged, $failed with warnings or errors"
[ "$failed" = 0 ]
