#!/usr/bin/env bash
# The generator against a previous release, in one run: builds the release binary of a git ref
# (in a worktree of its own) and of the current checkout, then runs the two alternately on
# each description, so that machine noise hits both alike, and prints medians side by side:
# wall time, user and system CPU, peak memory (/usr/bin/time) and the --timings stages.
#
#   bench/regression.sh [REF]     REF: default fda3103 (the start of the round that lost 2x)
#   RUNS=5                        runs per binary and description (median reported)
#   SPECS="a.json b.yaml"         default: oxide-nexus and the 13 MB GitHub description
#
# Results also go to target/regression/results.md. The ref's binary is kept in
# target/regression/ under its commit id and not built again.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-fda3103}
runs=${RUNS:-5}
dir=target/regression
mkdir -p "$dir"
if [ ! -d target/corpus/openapi-3.0 ] && [ -x ../shared/unpack-corpus ]; then
  ../shared/unpack-corpus target/corpus >/dev/null
fi
specs=${SPECS:-"target/corpus/openapi-3.0/oxide-nexus.json target/corpus/openapi-3.0/github-api.github.com-octokit.json"}
for spec in $specs; do
  [ -f "$spec" ] || { echo "no $spec (../shared/unpack-corpus target/corpus unpacks the corpus)" >&2; exit 2; }
done

sha=$(git rev-parse --verify "$ref^{commit}")
short=$(git rev-parse --short "$sha")
old="$dir/clientgen-$sha"
if [ ! -x "$old" ]; then
  tree="$dir/src-$sha"
  [ -d "$tree" ] || git worktree add --detach -q "$tree" "$sha"
  echo "building $ref ($short) in $tree ..." >&2
  # A target directory of its own: the current checkout's artifacts stay as they are.
  (cd "$tree" && CARGO_TARGET_DIR="$PWD/../target-ref" cargo build --release -q -p clientgen)
  cp "$dir/target-ref/release/clientgen" "$old"
fi
echo "building the current checkout ..." >&2
cargo build --release -q -p clientgen
new="$dir/clientgen-current"
cp "${CARGO_TARGET_DIR:-target}/release/clientgen" "$new"

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# run SIDE BIN SPEC: one timed generation into an empty directory; appends
# "wall-ms user-s sys-s peak-KiB parse-ms lower-ms emit-ms" to $dir/SIDE.runs. Wall time is
# taken in milliseconds here (/usr/bin/time's %e has 10 ms steps, a fifth of nexus).
run() {
  local side=$1 bin=$2 spec=$3 out="$dir/out-$1" start end stages
  rm -rf "$out"
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S %M' -o "$dir/time.txt" \
    "$bin" generate --spec "$spec" --out "$out" --name regression --quiet --timings \
    >/dev/null 2>"$dir/stderr.txt" || { cat "$dir/stderr.txt" >&2; exit 1; }
  end=$(date +%s%N)
  stages=$(sed -nE 's/^timings: parse ([0-9.]+) ms, lower ([0-9.]+) ms, emit and render ([0-9.]+) ms$/\1 \2 \3/p' "$dir/stderr.txt")
  echo "$(((end - start) / 1000000)) $(cat "$dir/time.txt") ${stages:-- - -}" >> "$dir/$side.runs"
}

table="| description | measure | $ref ($short) | current | current / $ref |
|---|---|---:|---:|---:|"
for spec in $specs; do
  : > "$dir/ref.runs"
  : > "$dir/cur.runs"
  for _ in $(seq "$runs"); do
    run ref "$old" "$spec"
    run cur "$new" "$spec"
  done
  name=$(basename "$spec" | sed 's/\.[a-z]*$//')
  col=1
  for measure in "wall ms" "user CPU s" "system CPU s" "peak MiB" "parse ms" "lower ms" "emit and render ms"; do
    a=$(awk -v c=$col '{print $c}' "$dir/ref.runs" | grep -v '^-$' | median)
    b=$(awk -v c=$col '{print $c}' "$dir/cur.runs" | grep -v '^-$' | median)
    if [ "$measure" = "peak MiB" ]; then
      a=$(awk -v k="$a" 'BEGIN {printf "%.0f", k / 1024}')
      b=$(awk -v k="$b" 'BEGIN {printf "%.0f", k / 1024}')
    fi
    ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {if (a + 0 > 0 && b != "-") printf "%.2f", b / a; else print "-"}')
    table+="
| $name | $measure | $a | $b | $ratio |"
    col=$((col + 1))
  done
done
rm -rf "$dir/out-ref" "$dir/out-cur"
printf '\nbench/regression.sh %s, RUNS=%s, medians, binaries alternating, %s\n\n%s\n' \
  "$ref" "$runs" "$(date -u +%Y-%m-%d)" "$table" | tee "$dir/results.md"
