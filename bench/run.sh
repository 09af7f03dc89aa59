#!/usr/bin/env bash
# Runs the JMH suite, or a named subset, and writes the results as JSON.
#
# Usage: bench/run.sh [--quick] [--gc] [SUBSET|REGEX ...] [-- JMH_ARGS...]
#   SUBSET   all (default), hashing, chunking, lz4, codecs, manifest, ring, transport, replication, log;
#            anything else is passed to JMH as a benchmark regex (e.g. RingLookup.primary)
#   --quick  1 warm-up and 2 measured iterations of 1 s each (for a loaded machine or a smoke run)
#   --gc     add -prof gc (allocation per operation: gc.alloc.rate.norm); always on for "codecs",
#            whose benchmarks the design promises allocate nothing
# Results: bench/target/jmh/<subsets>-<UTC time>.json (JMH's -rf json), and JMH's table on stdout.
# The benchmarks jar is built first if it is missing or older than any source.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jar=$root/bench/target/benchmarks.jar

quick=0
gc=0
patterns=()
names=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1 ;;
    --gc) gc=1 ;;
    -h | --help) sed -n '2,11p' "$0"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    all) names+=(all) ;;
    hashing) names+=(hashing); patterns+=('ChunkHashingBenchmark') ;;
    chunking) names+=(chunking); patterns+=('ChunkingBenchmark') ;;
    lz4) names+=(lz4); patterns+=('ChunkCodecBenchmark') ;;
    codecs) names+=(codecs); gc=1; patterns+=('MessageCodecBenchmark' 'ManifestCodecBenchmark' 'ChunkCodecBenchmark') ;;
    manifest) names+=(manifest); patterns+=('ManifestCodecBenchmark') ;;
    ring) names+=(ring); patterns+=('RingLookupBenchmark' 'PreferenceListBenchmark') ;;
    transport) names+=(transport); patterns+=('SharedMemoryBenchmark' 'Tcp.*Benchmark') ;;
    replication) names+=(replication); patterns+=('ReplicationBenchmark' 'HintedHandoffBenchmark') ;;
    log) names+=(log); patterns+=('SegmentLogAppendBenchmark') ;;
    -*) echo "bench/run.sh: unknown option $1 (JMH options go after --)" >&2; exit 2 ;;
    *) names+=("$(printf '%s' "$1" | tr -c 'A-Za-z0-9_.-' '_')"); patterns+=("$1") ;;
  esac
  shift
done
[ ${#names[@]} -eq 0 ] && names=(all)

if [ ! -f "$jar" ] || [ -n "$(find "$root" -path "$root/*/target" -prune -o \( -name '*.java' -o -name pom.xml \) \
    -newer "$jar" -print -quit)" ]; then
  echo "bench/run.sh: building $jar ..." >&2
  (cd "$root" && mvn -q -B -ntp -DskipTests -pl bench -am package) >&2
fi

out_dir=$root/bench/target/jmh
mkdir -p "$out_dir"
label=$(IFS=+; echo "${names[*]}")
result=$out_dir/$label-$(date -u +%Y%m%dT%H%M%SZ).json
args=(-rf json -rff "$result")
if [ "$quick" -eq 1 ]; then args+=(-wi 1 -i 2 -w 1s -r 1s -f 1); fi
if [ "$gc" -eq 1 ]; then args+=(-prof gc); fi
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
echo "bench/run.sh: ${patterns[*]:-all} -> $result (load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo ?))" >&2
"$java" -jar "$jar" "${patterns[@]}" "${args[@]}" "${extra[@]}"
echo "bench/run.sh: results in $result" >&2
