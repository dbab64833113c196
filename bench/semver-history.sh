#!/usr/bin/env bash
# `clientgen diff` against cargo-semver-checks over the 21 published versions of Stytch's
# OpenAPI description (../shared/specs/stytch/history.tar.xz): for every consecutive pair, the
# crate generated from the newer one is checked as a minor release of the older one, and the
# verdict is set beside diff's. cargo-semver-checks sees what the compiler sees (it misses a
# changed field type), so it is a floor: the pairs diff calls non-breaking must be the pairs it
# accepts.
#
#   bench/semver-history.sh            all 20 pairs (about 1 to 2 minutes a pair here)
#   PAIRS="05 06" bench/semver-history.sh   only the pairs starting at these versions
#
# Needs: cargo install cargo-semver-checks --version 0.51.0 --locked   (about 15 minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! cargo semver-checks --version >/dev/null 2>&1; then
  echo "cargo-semver-checks is not installed: cargo install cargo-semver-checks --version 0.51.0 --locked" >&2
  exit 1
fi
out=target/semver-history
mkdir -p "$out"
tar -xJf ../shared/specs/stytch/history.tar.xz -C "$out"
specs=("$out"/stytch-history/*.yml)
cargo build --release -q -p clientgen
clientgen=target/release/clientgen
# One target dir for every rustdoc build, so dependencies are documented once.
export CARGO_TARGET_DIR="$PWD/$out/target"
crate() { echo "$out/crates/$(basename "$1" .yml)"; }
for s in "${specs[@]}"; do
  dir=$(crate "$s")
  if [ ! -f "$dir/Cargo.toml" ]; then
    "$clientgen" generate --quiet --spec "$s" --out "$dir" --name stytch-official >/dev/null
    # A workspace of its own, so the crate does not join ours.
    printf '\n[workspace]\n' >> "$dir/Cargo.toml"
  fi
done
table="$out/table.md"
printf '| update | clientgen diff | cargo-semver-checks | agree |\n|---|---|---|---|\n' > "$table"
for ((i = 0; i + 1 < ${#specs[@]}; i++)); do
  old=${specs[$i]}
  new=${specs[$((i + 1))]}
  start=$(basename "$old" .yml | cut -c1-2)
  if [ -n "${PAIRS:-}" ] && [[ " $PAIRS " != *" $start "* ]]; then
    continue
  fi
  if "$clientgen" diff "$old" "$new" > "$out/diff-$start.txt"; then ours=minor; else ours=major; fi
  if cargo semver-checks check-release --manifest-path "$(crate "$new")/Cargo.toml" \
      --baseline-root "$(crate "$old")" --release-type minor > "$out/semver-$start.txt" 2>&1; then
    theirs=minor
  else
    theirs=major
  fi
  agree=yes
  [ "$ours" = "$theirs" ] || agree=NO
  line="| $(basename "$old" .yml) → $(basename "$new" .yml) | $ours ($(head -1 "$out/diff-$start.txt" | cut -d';' -f1)) | $theirs | $agree |"
  echo "$line"
  echo "$line" >> "$table"
done
echo
cat "$table"
