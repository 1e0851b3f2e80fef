#!/usr/bin/env bash
# Measures the peak memory of one perfpulse-journeys run summed over its whole process tree (node,
# the Playwright runner, Chromium and its renderers, the replica/Pushgateway it starts), the number
# the CronJob's memory request/limit is sized from. /usr/bin/time -v reports only the largest single
# process; Chromium is a dozen processes sharing pages, so this samples /proc every 200 ms and sums
# RSS (counts shared pages once per process: an upper bound) and PSS (shares them out: what a cgroup
# comes closer to charging).
#   deploy/measure-memory.sh                       # perfpulse-journeys --env local
#   deploy/measure-memory.sh --env prod --pushgateway http://gw:9091
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- --env local

descendants() { # pid and all its descendants
  local all; all=$(ps -e -o pid=,ppid=)
  local queue=("$1") out=()
  while [ ${#queue[@]} -gt 0 ]; do
    local p=${queue[0]}; queue=("${queue[@]:1}"); out+=("$p")
    while read -r c; do queue+=("$c"); done < <(awk -v p="$p" '$2==p {print $1}' <<<"$all")
  done
  echo "${out[@]}"
}

start=$(date +%s.%N)
# node runs the entry point directly, as the image does (npx would add an npm process of its own)
node_modules/.bin/node bin/perfpulse-journeys.js "$@" >/dev/null 2>&1 &
root=$!
peak_rss=0; peak_pss=0; peak_n=0
while kill -0 "$root" 2>/dev/null; do
  rss=0; pss=0; n=0
  for p in $(descendants "$root"); do
    f=/proc/$p/smaps_rollup
    [ -r "$f" ] || continue
    read -r r s < <(awk '/^Rss:/ {r=$2} /^Pss:/ {s=$2} END {print r+0, s+0}' "$f" 2>/dev/null || echo "0 0")
    rss=$((rss + r)); pss=$((pss + s)); n=$((n + 1))
  done
  [ "$rss" -gt "$peak_rss" ] && peak_rss=$rss
  [ "$pss" -gt "$peak_pss" ] && peak_pss=$pss
  [ "$n" -gt "$peak_n" ] && peak_n=$n
  sleep 0.2
done
code=0; wait "$root" || code=$?
end=$(date +%s.%N)
printf 'exit %s, %.1f s wall, peak over the process tree: RSS %d MiB, PSS %d MiB, %d processes\n' \
  "$code" "$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')" $((peak_rss / 1024)) $((peak_pss / 1024)) "$peak_n"
