#!/usr/bin/env bash
# Generated crates against a fresh resolution of their dependencies, as a consumer who adds
# one gets it: no lock file, the newest versions their manifests allow, warnings denied, for
# each TLS choice. The project's pinned Cargo.lock hides an upstream deprecation or break
# until it reaches a user's build; this step shows it first.
#
#   .ci/fresh-resolution.sh        (from the checkout; needs the crate registry)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT

cargo build -q -p clientgen
# Our crate, and a fixture whose crate also uses every optional dependency the generator
# writes (chrono, uuid) and every runtime module (pagination, streams).
"$root/target/debug/clientgen" generate --spec spec/stytch-b2b.yaml --out "$fresh/stytch-b2b" \
  --name stytch-b2b --quiet >/dev/null
for fixture in formats streaming pagination; do
  "$root/target/debug/clientgen" generate --spec "tests/fixtures/$fixture.yaml" \
    --out "$fresh/$fixture" --name "$fixture" --quiet >/dev/null
done
cat > "$fresh/Cargo.toml" <<'TOML'
[workspace]
resolver = "2"
members = ["stytch-b2b", "formats", "streaming", "pagination"]
TOML

cd "$fresh"
cargo generate-lockfile --quiet
echo "fresh resolution: $(grep -A1 -E '^name = "(reqwest|rustls|aws-lc-rs|rustls-graviola|tokio|serde)"$' Cargo.lock | grep -o '"[^"]*"' | paste -sd' ')"
export CARGO_TARGET_DIR="$root/target/fresh-resolution"
export RUSTFLAGS="-D warnings"
unset CARGO_ENCODED_RUSTFLAGS
for features in "" "--no-default-features --features full,rustls-graviola" \
    "--no-default-features --features full,native-tls" "--features http2,tracing,serde-all"; do
  echo "== fresh resolution: cargo check --workspace $features"
  # shellcheck disable=SC2086
  cargo check --workspace --quiet $features
done
