#!/usr/bin/env bash
# Whole-process generation time and peak memory (/usr/bin/time), generated lines, lines per
# operation, and the crate-only build time of each generated crate (dependencies prebuilt),
# for clientgen and, when its CLI is installed, progenitor 0.15.1, alternating the two.
#
#   bench/run.sh [SPEC ...]      default: our spec, oxide-nexus and the 13 MB GitHub spec
#   RUNS=5 bench/run.sh          generation runs per tool and spec (median reported)
#   PROGENITOR_INTERFACE=builder progenitor's style (builder or positional; default builder)
#
# progenitor: cargo install cargo-progenitor --version 0.15.1 --locked
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
style=${PROGENITOR_INTERFACE:-builder}
out=target/bench
mkdir -p "$out"
if [ ! -d target/corpus/openapi-3.0 ] && [ -x ../shared/unpack-corpus ]; then
  ../shared/unpack-corpus target/corpus >/dev/null
fi
if [ $# -eq 0 ]; then
  set -- spec/stytch-b2b.yaml target/corpus/openapi-3.0/oxide-nexus.json \
    target/corpus/openapi-3.0/github-api.github.com-octokit.json
fi
cargo build --release -q -p clientgen
ours=target/release/clientgen
progenitor=""
if command -v cargo-progenitor >/dev/null 2>&1; then
  # The binary itself, not through `cargo`, so both sides are one plain process.
  progenitor=$(command -v cargo-progenitor)
else
  echo "progenitor's CLI is not installed (cargo install cargo-progenitor --version 0.15.1 --locked): measuring clientgen alone"
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
lines() { find "$1" -name '*.rs' -not -path '*/target/*' -exec cat {} + 2>/dev/null | wc -l; }

# One workspace for the crate-only builds, so every crate shares one set of built dependencies.
ws="$out/ws"
mkdir -p "$ws"
members=()

# generate TOOL SPEC DIR NAME: one timed run, appending "seconds peak-KiB" or "failed".
generate() {
  local cmd
  if [ "$1" = ours ]; then
    cmd=("$ours" generate --spec "$2" --out "$3" --name "$4" --quiet)
  else
    cmd=("$progenitor" progenitor -i "$2" -o "$3" -n "$4" -v 0.1.0 --interface "$style")
  fi
  if /usr/bin/time -f '%e %M' -o "$out/time.txt" "${cmd[@]}" >/dev/null 2>&1; then
    cat "$out/time.txt" >> "$out/$1-$name.times"
  else
    echo "failed" >> "$out/$1-$name.times"
  fi
}

declare -A row
printf '\n| spec | tool | ops | gen s (median of %s) | peak MiB | lines | lines/op | crate-only build s |\n|---|---|---:|---:|---:|---:|---:|---:|\n' "$runs" > "$out/results.md"
for spec in "$@"; do
  name=$(basename "$spec" | sed 's/\.[a-z]*$//' | tr 'A-Z_.' 'a-z--')
  ops=$("$ours" generate --spec "$spec" --out "$out/count" --name count --quiet | tail -1 | sed -E 's/.*: ([0-9]+) operations.*/\1/')
  for tool in ours prog; do
    [ "$tool" = prog ] && [ -z "$progenitor" ] && continue
    : > "$out/$tool-$name.times"
  done
  # Alternate the tools run by run, so that machine noise hits both alike. A tool that failed
  # on this spec is not run again: there is nothing to compare, and a failing run can still
  # leave the kernel busy (progenitor spends 8 s in the kernel before panicking on GitHub,
  # which slowed the next run of either tool by a quarter).
  for _ in $(seq "$runs"); do
    for tool in ours prog; do
      [ "$tool" = prog ] && [ -z "$progenitor" ] && continue
      grep -q failed "$out/$tool-$name.times" && continue
      rm -rf "$ws/$tool-$name"
      generate "$tool" "$spec" "$ws/$tool-$name" "$tool-$name"
    done
  done
  for tool in ours prog; do
    [ "$tool" = prog ] && [ -z "$progenitor" ] && continue
    dir="$ws/$tool-$name"
    if grep -q failed "$out/$tool-$name.times" || [ ! -f "$dir/Cargo.toml" ]; then
      printf '| %s | %s | %s | failed | - | - | - | - |\n' "$name" "$tool" "$ops" >> "$out/results.md"
      continue
    fi
    secs=$(awk '{print $1}' "$out/$tool-$name.times" | median)
    mib=$(awk '{print $2/1024}' "$out/$tool-$name.times" | median)
    n=$(lines "$dir/src")
    # Building a 300,000-line crate takes many minutes on two cores; set MAX_BUILD_LINES to
    # include such crates in the crate-only builds.
    if [ "$n" -le "${MAX_BUILD_LINES:-150000}" ]; then
      members+=("$tool-$name")
    else
      echo "| $name | $tool | $ops | $secs | $mib | $n | $(( n / (ops > 0 ? ops : 1) )) | not built (over MAX_BUILD_LINES) |" >> "$out/results.md"
      continue
    fi
    row["$tool-$name"]="| $name | $tool | $ops | $secs | $mib | $n | $(( n / (ops > 0 ? ops : 1) )) |"
  done
done

# Crate-only builds: dependencies first, then each crate alone, from scratch (its own artifacts
# removed, incremental compilation off), in rounds that alternate the crates; median of 3.
printf '[workspace]\nresolver = "2"\nmembers = [%s]\n' "$(printf '"%s",' "${members[@]}" | sed 's/,$//')" > "$ws/Cargo.toml"
[ -f "$ws/Cargo.lock" ] || cp Cargo.lock "$ws/Cargo.lock"
(cd "$ws" && CARGO_INCREMENTAL=0 cargo build -q --workspace 2>/dev/null) || true
declare -A builds
for _ in 1 2 3; do
  for m in "${members[@]}"; do
    (cd "$ws" && cargo clean -q -p "$m" 2>/dev/null) || true
    start=$(date +%s.%N)
    if (cd "$ws" && CARGO_INCREMENTAL=0 cargo build -q -p "$m" 2>/dev/null); then
      builds[$m]+="$(echo "$(date +%s.%N) - $start" | bc) "
    else
      builds[$m]+="failed "
    fi
  done
done
for m in "${members[@]}"; do
  if [[ "${builds[$m]}" == *failed* ]]; then b=failed; else b=$(echo "${builds[$m]}" | tr ' ' '\n' | grep . | median); fi
  echo "${row[$m]} $b |" >> "$out/results.md"
done
cat "$out/results.md"
echo "(written to $out/results.md)"
