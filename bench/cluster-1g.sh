#!/usr/bin/env bash
# Issue 5's end-to-end figures: a new 1 GiB random file put to and got from 3 node processes (N=3, QUORUM, TCP over
# loopback), each run right after its bound, so that both see the same load:
#   put  against 3 x 1 GiB `dd conv=fdatasync` in parallel (what 3 replicas on this one disk cost at least);
#   get  (`rfs get NAME - > /dev/null`) against `openssl dgst -sha256` of the same file (hashing it once).
# Besides wall time it prints the CPU seconds of the client and of the three nodes (from /proc), which move much
# less than wall time on a shared machine, and the nodes' CPU while idle for IDLE_S seconds (their polling cost).
#
# Usage: bench/cluster-1g.sh [RFS]      RFS: the launcher to measure (default: this checkout's ./rfs)
# Environment: REPS (3), SIZE_MIB (1024), IDLE_S (5), WORK (a new directory under ${TMPDIR:-/tmp}),
#   LIMITS (/work/shared/tools/limits.sh if it exists: its disk and openssl rows are measured first, in the same
#   run; LIMITS= skips them).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rfs=${1:-$here/../rfs}
REPS=${REPS:-3}
SIZE_MIB=${SIZE_MIB:-1024}
IDLE_S=${IDLE_S:-5}
default_limits=/work/shared/tools/limits.sh
if [ -z "${LIMITS+set}" ] && [ -x "$default_limits" ]; then LIMITS=$default_limits; fi
LIMITS=${LIMITS:-}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/rfs-cluster-1g.XXXXXX")}
mkdir -p "$work"
export RFS_HOME=$work/home
rm -rf "$RFS_HOME"
big=$work/big.bin

stop() { "$rfs" cluster stop >/dev/null 2>&1 || true; }
cleanup() {
  stop
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
# CPU seconds (user + system) used so far by the processes named
cpu_of() {
  local ticks=0 pid
  for pid in "$@"; do
    ticks=$((ticks + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }'
}
# context switches (voluntary and not) so far of every thread of the processes named
switches_of() {
  local pid sum=0
  for pid in "$@"; do
    sum=$((sum + $(awk '/ctxt_switches/ { s += $2 } END { print s + 0 }' /proc/"$pid"/task/*/status 2>/dev/null)))
  done
  echo "$sum"
}
# wall and CPU seconds of a command run in a fresh shell, stdout to $2: prints "WALL CPU"
timed() {
  local out=$1 TIMEFORMAT='%R %U %S'
  shift
  { time "$@" >"$out" 2>"$work/err"; } 2>"$work/time" || { cat "$work/err" >&2; return 1; }
  awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/time"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "cluster-1g: $rfs, ${SIZE_MIB} MiB, REPS=$REPS, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -n "$LIMITS" ]; then
  SIZE_MIB=$SIZE_MIB REPS=$REPS "$LIMITS" --only disk,openssl
fi

head -c $((SIZE_MIB * 1048576)) /dev/urandom >"$big"
"$rfs" cluster start --nodes 3 --rf 3 --no-gateway >"$work/start.log"
mapfile -t nodes < <(awk '$1 == "node" && $4 == "pid" { print $5 }' "$work/start.log")
# the first put of a client command writes its class data archive: do that outside the measured runs
"$rfs" put "$work/start.log" warm-up >/dev/null
"$rfs" get warm-up - >/dev/null
sleep 2
c0=$(cpu_of "${nodes[@]}")
s0=$(switches_of "${nodes[@]}")
sleep "$IDLE_S"
idle=$(awk -v a="$c0" -v b="$(cpu_of "${nodes[@]}")" -v s="$IDLE_S" 'BEGIN { printf "%.3f", (b - a) / s }')
idle_switches=$((($(switches_of "${nodes[@]}") - s0) / IDLE_S))
echo "nodes idle: $idle CPU-s and $idle_switches context switches per s (3 nodes together, ${IDLE_S} s)"

printf '%-4s %6s %7s %6s %6s %6s %7s | %6s %7s %6s %6s %6s %7s | %5s\n' run dd3par put ratio put.c nodes.c \
  nodes.cs openssl get ratio get.c nodes.c nodes.cs load
for i in $(seq "$REPS"); do
  # the same data shifted by a different number of bytes each run: every fixed-size chunk is new, so the nodes store
  # every chunk (a chunk a node holds already is only acknowledged)
  { head -c $((16 * i)) /dev/urandom; cat "$big"; } >"$work/put.bin"
  sync
  l0=$(load)
  t=$(now)
  for j in 1 2 3; do dd if="$work/put.bin" of="$work/dd$j" bs=1M conv=fdatasync 2>/dev/null & done
  wait
  dd=$(since "$t")
  rm -f "$work"/dd?
  n0=$(cpu_of "${nodes[@]}")
  s0=$(switches_of "${nodes[@]}")
  read -r put put_cpu < <(timed /dev/null "$rfs" put "$work/put.bin" "big$i")
  put_nodes=$(awk -v a="$n0" -v b="$(cpu_of "${nodes[@]}")" 'BEGIN { printf "%.2f", b - a }')
  put_switches=$(($(switches_of "${nodes[@]}") - s0))
  read -r ossl _ < <(timed /dev/null openssl dgst -sha256 "$work/put.bin")
  n0=$(cpu_of "${nodes[@]}")
  s0=$(switches_of "${nodes[@]}")
  # every chunk is checked against its SHA-256 on the way, so /dev/null loses no check
  read -r get get_cpu < <(timed /dev/null "$rfs" get "big$i" -)
  get_nodes=$(awk -v a="$n0" -v b="$(cpu_of "${nodes[@]}")" 'BEGIN { printf "%.2f", b - a }')
  get_switches=$(($(switches_of "${nodes[@]}") - s0))
  printf '%-4s %6s %7s %6s %6s %6s %7s | %6s %7s %6s %6s %6s %7s | %5s\n' "$i" "$dd" "$put" \
    "$(ratio "$dd" "$put")" "$put_cpu" "$put_nodes" "$put_switches" "$ossl" "$get" "$(ratio "$get" "$ossl")" \
    "$get_cpu" "$get_nodes" "$get_switches" "$l0-$(load)"
done
echo "ratio: put = dd3par / put (target >= 0.7); get = get / openssl (target <= 1.5); .c = CPU seconds;"
echo "nodes.cs = context switches of all the nodes' threads"
