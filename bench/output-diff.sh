#!/usr/bin/env bash
# What a change does to generated output: generates every description we have (ours, the
# fixtures, Stytch's official one and the corpus) with the generator of a git ref and with the
# current checkout, and lists every file that differs (`diff -r`), warnings included. The
# runtime (`src/runtime/`, copied verbatim and reviewed as source) is left out.
#
#   bench/output-diff.sh [REF]     REF: default HEAD (the last commit, against the work tree)
#
# Debug binaries: the ref's in target/output-diff/target, the checkout's in the workspace's.
# Outputs stay in target/output-diff/{ref,current}/<description>/ for reading.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-HEAD}
dir=target/output-diff
rm -rf "$dir/ref" "$dir/current"
mkdir -p "$dir/ref" "$dir/current"
if [ ! -d target/corpus/openapi-3.0 ] && [ -x ../shared/unpack-corpus ]; then
  ../shared/unpack-corpus target/corpus >/dev/null
fi
sha=$(git rev-parse --verify "$ref^{commit}")
tree="$dir/src-$sha"
[ -d "$tree" ] || git worktree add --detach -q "$tree" "$sha"
# The ref in a target directory of its own (built once, then only clientgen again): in a shared
# one, the second build can leave target/debug/clientgen as the first one made it.
(cd "$tree" && CARGO_TARGET_DIR="$PWD/../target" cargo build -q -p clientgen)
cp "$dir/target/debug/clientgen" "$dir/clientgen-ref"
cargo build -q -p clientgen
cp "${CARGO_TARGET_DIR:-target}/debug/clientgen" "$dir/clientgen-current"
if cmp -s "$dir/clientgen-ref" "$dir/clientgen-current"; then
  echo "note: the two binaries are the same (no change to the generator since $ref)" >&2
fi

# Every diagnostic, notes included, where the binary has --verbose.
declare -A verbose
for side in ref current; do
  verbose[$side]=""
  if "$dir/clientgen-$side" generate --help | grep -q -- --verbose; then
    verbose[$side]="--verbose"
  fi
done

specs=(spec/stytch-b2b.yaml tests/fixtures/*.yaml tests/fixtures/*/*.yaml)
[ -f ../shared/specs/stytch/openapi.yml ] && specs+=(../shared/specs/stytch/openapi.yml)
specs+=(target/corpus/openapi-3.*/*.json target/corpus/openapi-3.*/*.yaml target/corpus/openapi-3.*/*.yml)
changed=0
for spec in "${specs[@]}"; do
  [ -f "$spec" ] || continue
  name=$(echo "$spec" | tr '/' '_')
  for side in ref current; do
    "$dir/clientgen-$side" generate --spec "$spec" --out "$dir/$side/$name" --name out \
      ${verbose[$side]} >/dev/null 2>"$dir/$side/$name.warnings" || true
  done
  if ! diff -rq -x runtime "$dir/ref/$name" "$dir/current/$name" >/dev/null 2>&1 \
    || ! diff -q "$dir/ref/$name.warnings" "$dir/current/$name.warnings" >/dev/null; then
    changed=$((changed + 1))
    echo "== $spec"
    diff -rq -x runtime "$dir/ref/$name" "$dir/current/$name" | sed 's/^/  /' || true
    diff -q "$dir/ref/$name.warnings" "$dir/current/$name.warnings" >/dev/null \
      || echo "  warnings differ"
  fi
done
echo "${#specs[@]} descriptions, $changed with a difference (ref $ref, ${sha:0:7})"
