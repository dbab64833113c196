#!/usr/bin/env bash
# A 1 GiB download from a loopback server through the generated client, read as a stream
# (`send_stream()`) and buffered (`send()`), side by side: peak memory (/usr/bin/time %M) and
# time of each. The consumer test is tests/streaming/streams.rs (`one_gib_download`, ignored
# in the test suite); `cargo test -p clientgen-tests --test streaming` builds it first.
#
#   bench/streaming.sh          RUNS=3 for a median of three
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-1}
if [ ! -f target/streaming-crates/Cargo.toml ]; then
  cargo test -q -p clientgen-tests --test streaming
fi
bin=$(cd target/streaming-crates && CARGO_TARGET_DIR=../generated-check cargo test --release -q -p streaming --test streams --no-run --message-format json 2>/dev/null |
  sed -n 's/.*"executable":"\([^"]*streams[^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the consumer test"; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
declare -A mem secs
for _ in $(seq "$runs"); do
  for mode in stream buffered; do
    if [ "$mode" = buffered ]; then export BUFFERED=1; else unset BUFFERED; fi
    /usr/bin/time -f '%M %e' -o target/streaming-time.txt "$bin" --ignored --exact one_gib_download --nocapture >/dev/null 2>&1
    read -r kib s < target/streaming-time.txt
    mem[$mode]+="$kib "; secs[$mode]+="$s "
  done
done
unset BUFFERED
printf '\n| 1 GiB download (release) | peak memory MiB | seconds |\n|---|---:|---:|\n'
for mode in stream buffered; do
  kib=$(echo "${mem[$mode]}" | tr ' ' '\n' | grep . | median)
  s=$(echo "${secs[$mode]}" | tr ' ' '\n' | grep . | median)
  printf '| %s | %s | %s |\n' "$mode" "$(( ${kib%.*} / 1024 ))" "$s"
done
echo
echo "median of $runs; $(nproc) cores; $(date -u +%Y-%m-%d)"
