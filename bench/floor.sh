#!/usr/bin/env bash
# How far generation is from its floor: reading the description and writing the output, with
# nothing computed between. For each description, the median of RUNS of: the floor (the
# description read into memory, the generated files written to an empty directory) and
# the release binary's whole run with its --timings stages; the gap is split by stage.
#
#   bench/floor.sh               RUNS=5, SPECS as bench/regression.sh (nexus and GitHub)
#
# Run it on a quiet machine: it measures wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
if [ ! -d target/corpus/openapi-3.0 ] && [ -x ../shared/unpack-corpus ]; then
  ../shared/unpack-corpus target/corpus >/dev/null
fi
specs=${SPECS:-"target/corpus/openapi-3.0/oxide-nexus.json target/corpus/openapi-3.0/github-api.github.com-octokit.json"}
cargo build --release -q -p clientgen
bin=target/release/clientgen
dir=target/floor
mkdir -p "$dir"
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
ms() { echo $(( ($2 - $1) / 1000000 )); }

echo "| description | output | floor: read | floor: write | floor | generate | parse | lower | emit and render | generate / floor |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for spec in $specs; do
  out="$dir/out"
  rm -rf "$out"
  "$bin" generate --spec "$spec" --out "$out" --name floor --quiet >/dev/null
  size=$(du -sb "$out" | cut -f1)
  : > "$dir/runs"
  for _ in $(seq "$runs"); do
    sync
    a=$(date +%s%N); cat "$spec" > /dev/null; b=$(date +%s%N)
    rm -rf "$dir/copy"
    c=$(date +%s%N); cp -r "$out" "$dir/copy"; d=$(date +%s%N)
    rm -rf "$dir/gen"
    e=$(date +%s%N)
    stages=$("$bin" generate --spec "$spec" --out "$dir/gen" --name floor --quiet --timings 2>&1 >/dev/null \
      | sed -nE 's/^timings: parse ([0-9.]+) ms, lower ([0-9.]+) ms, emit and render ([0-9.]+) ms$/\1 \2 \3/p')
    f=$(date +%s%N)
    echo "$(ms "$a" "$b") $(ms "$c" "$d") $(ms "$e" "$f") $stages" >> "$dir/runs"
  done
  col() { awk -v c="$1" '{print $c}' "$dir/runs" | median; }
  read_ms=$(col 1); write_ms=$(col 2); gen_ms=$(col 3)
  floor=$((read_ms + write_ms))
  ratio=$(awk -v g="$gen_ms" -v f="$floor" 'BEGIN {if (f > 0) printf "%.0fx", g / f; else print "-"}')
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  echo "| $name | $((size / 1024 / 1024)) MiB | $read_ms ms | $write_ms ms | $floor ms | $gen_ms ms | $(col 4) ms | $(col 5) ms | $(col 6) ms | $ratio |"
done
