#!/usr/bin/env bash
# A consumer's first build: cold `cargo build` (dev profile) of a one-line binary that depends on
# the committed stytch-b2b crate with each TLS feature, beside one that depends on Stytch's
# official crate (`stytch = "=11.1.0"`) and one on stytch-b2b as committed at the previous
# release (BASE, with its own default TLS feature), in one run. Downloads are fetched first and do not
# count; every build gets a fresh target directory. Prints a Markdown table: wall-clock time,
# CPU time (user + sys, which moves less when other work shares the machine), crates built and,
# for each build, the five slowest crates (from `cargo build --timings`).
#
#   bench/cold-build.sh            one build of each
#   RUNS=3 bench/cold-build.sh     builds of each, interleaved; the median is reported
#   ONLY="aws-lc-rs official" ...  a subset (aws-lc-rs, the default; graviola, native-tls,
#                                   mock, the default with the typed mocks; official, base)
#   ONLY="aws-lc-rs base" BASE=REV  the default consumer beside the same consumer of the crate
#                                   as committed at REV (default a44c16a, the last release
#                                   with ring as the default), to see what a change to the
#                                   generated crate costs a first build
#
# native-tls needs the OpenSSL headers on Linux (apt-get install libssl-dev pkg-config).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
runs=${RUNS:-1}
only=${ONLY:-"aws-lc-rs graviola native-tls official base"}
out=$root/target/cold-build
rm -rf "$out"
mkdir -p "$out"
base=${BASE:-a44c16a}
if [[ " $only " == *" base "* ]]; then
  mkdir -p "$out/base"
  git archive "$base" generated-client | tar -x -C "$out/base"
fi

# name -> the dependency line of the consumer's manifest
dep_of() {
  case $1 in
    aws-lc-rs) echo "stytch-b2b = { path = \"$root/generated-client\" }" ;;
    graviola) echo "stytch-b2b = { path = \"$root/generated-client\", default-features = false, features = [\"rustls-graviola\", \"full\"] }" ;;
    native-tls) echo "stytch-b2b = { path = \"$root/generated-client\", default-features = false, features = [\"native-tls\", \"full\"] }" ;;
    mock) echo "stytch-b2b = { path = \"$root/generated-client\", features = [\"mock\"] }" ;;
    official) echo 'stytch = "=11.1.0"' ;;
    base) echo "stytch-b2b = { path = \"$out/base/generated-client\" }" ;;
  esac
}
crate_of() { if [ "$1" = official ]; then echo stytch; else echo stytch_b2b; fi; }

for name in $only; do
  dir=$out/consumer-$name
  mkdir -p "$dir/src"
  # An empty [workspace] keeps cargo from taking this repository's workspace as the consumer's.
  cat >"$dir/Cargo.toml" <<EOF
[package]
name = "consumer-$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
$(dep_of "$name")

[workspace]
EOF
  echo "use $(crate_of "$name") as _; fn main() {}" >"$dir/src/main.rs"
  # Resolved like a fresh consumer's (newest compatible versions), then downloaded.
  cargo generate-lockfile -q --manifest-path "$dir/Cargo.toml"
  cargo fetch -q --manifest-path "$dir/Cargo.toml"
done

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

for run in $(seq "$runs"); do
  for name in $only; do
    target=$out/target-$name
    rm -rf "$target"
    CARGO_TARGET_DIR=$target /usr/bin/time -f '%e %U %S' -o "$out/time" \
      cargo build -q --offline --timings --manifest-path "$out/consumer-$name/Cargo.toml"
    read -r wall user sys <"$out/time"
    echo "$wall" >>"$out/$name.times"
    echo "$user + $sys" | bc >>"$out/$name.cpu"
    echo "run $run: $name $wall s, CPU $(tail -1 "$out/$name.cpu") s" >&2
    # Crates built and the five slowest units, from the timings report.
    python3 - "$target"/cargo-timings/cargo-timing.html >"$out/$name.units" <<'EOF'
import json, re, sys
html = open(sys.argv[1]).read()
units = json.loads(re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S).group(1))
print(len({u["name"] for u in units}))
for u in sorted(units, key=lambda u: -u["duration"])[:5]:
    print(f'{u["name"]} {u["duration"]:.1f}')
EOF
  done
done

ratio() { if [ -n "$2" ]; then echo "scale=4; $1 / $2" | bc | xargs printf "%.2f"; else echo "-"; fi; }
official="" official_cpu=""
if [ -f "$out/official.times" ]; then
  official=$(median <"$out/official.times")
  official_cpu=$(median <"$out/official.cpu")
fi
echo
echo "rustc: $(rustc -V), cores: $(nproc), runs: $runs (medians)"
echo
echo "| Consumer of | Cold dev build, wall (s) | × official | CPU, user + sys (s) | × official | Crates | Slowest units (s) |"
echo "|---|---|---|---|---|---|---|"
for name in $only; do
  t=$(median <"$out/$name.times")
  cpu=$(median <"$out/$name.cpu")
  crates=$(head -1 "$out/$name.units")
  slow=$(tail -n +2 "$out/$name.units" | awk '{printf "%s%s %s", (NR>1?", ":""), $1, $2}')
  case $name in
    official) label='`stytch = "=11.1.0"`' ;;
    base) label="stytch-b2b at $base (its default, \`rustls-ring\`)" ;;
    *) label="stytch-b2b, \`$name\`" ;;
  esac
  printf '| %s | %.1f | %s | %.1f | %s | %s | %s |\n' "$label" "$t" "$(ratio "$t" "$official")" \
    "$cpu" "$(ratio "$cpu" "$official_cpu")" "$crates" "$slow"
done
