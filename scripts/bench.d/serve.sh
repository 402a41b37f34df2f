#!/usr/bin/env bash
# The serve part of scripts/bench: oasis-serve under load (wrk), its memory
# over many requests, and its overhead over an in-process oasis_search().
# Run as `scripts/bench serve [--ci] [--seconds N] [--out FILE]`.
set -euo pipefail
. "$(dirname "$0")/../setup.sh"

usage() {
    cat <<'EOF2'
Usage: scripts/bench serve [OPTION]...
Load oasis-serve with wrk on loopback: /api/search with facets (the queries
of scripts/bench.d/initiatives-queries.txt, no filter, dept=45 or
category=logement in turn) over the 23 initiatives of corpus/, at 1, 4, 16
and 64 connections. Prints a Markdown table (requests/s, p50, p99, errors),
the server's memory (RSS) before and after 100,000 requests, and the mean
time of the same searches in-process, and PASS/FAIL for the targets
(2,000 searches/s; p99 under 20 ms at 16 connections; no error; memory
flat: under 4 MiB of growth).

Options:
  --ci           a short check, not a measure: a few thousand requests at 4
                 connections (about 6 s); fails on any error or on memory
                 growth over 4 MiB, never on speed
  --seconds N    each wrk run of the measure (default: 10)
  --threads N    oasis-serve's worker threads (default: 2, the cores)
  --out FILE     where to write the table (default: bench/serve.md)
  -h, --help     show this help

Exit status: 0 when every run worked (the targets are reported, not
enforced, except by --ci's checks); 1 when a run failed; 2 on a usage error.
EOF2
}

ci= seconds=10 threads=2 out=$OASIS_ROOT/bench/serve.md
while [ $# -gt 0 ]; do
    case $1 in
    --ci) ci=1 ;;
    --seconds) seconds=${2:?}; shift ;;
    --threads) threads=${2:?}; shift ;;
    --out) out=${2:?}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "scripts/bench serve: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

oasis_install_packages "${OASIS_PACKAGES[@]}" wrk curl
oasis_log "== building oasis in $OASIS_BUILD"
oasis_build "$OASIS_BUILD" >/dev/null

here=$OASIS_ROOT/scripts/bench.d
queries=$here/initiatives-queries.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oasis-bench-serve-XXXXXX")
pid=
cleanup() {
    if [ -n "$pid" ]; then
        kill -TERM "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

"$OASIS_BUILD/oasis-index" --index "$tmp/db" "$OASIS_ROOT/corpus" 2>/dev/null

"$OASIS_BUILD/oasis-serve" --index "$tmp/db" --listen 127.0.0.1:0 --log none \
    --threads "$threads" --max-connections 512 --per-ip 256 2>"$tmp/serve.log" &
pid=$!
port=
for _ in $(seq 200); do
    port=$(sed -n 's|.*http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/serve.log")
    [ -n "$port" ] && curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
    sleep 0.05
done
[ -n "$port" ] || { cat "$tmp/serve.log" >&2; echo "scripts/bench serve: oasis-serve did not start" >&2; exit 1; }
url=http://127.0.0.1:$port

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status"; }
# CPU time the server has used, in clock ticks (user + system).
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)

# wrk CONNECTIONS SECONDS: sets requests, rate, mean, p50, p99 (ms), errors
# and cpu_us (the server's CPU time per request, µs).
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.2f", n }'
}
run_wrk() {
    local c=$1 s=$2 t=1 o c0
    [ "$c" -ge 2 ] && t=2
    c0=$(cpu_ticks)
    o=$(OASIS_BENCH_QUERIES=$queries wrk -t"$t" -c"$c" -d"${s}s" --latency \
        -s "$here/serve.lua" "$url" 2>&1)
    cpu_us=$(awk -v a="$c0" -v b="$(cpu_ticks)" -v hz="$hz" -v n="$(printf '%s\n' "$o" |
        awk '/requests in/ { print $1 }')" 'BEGIN { if (n > 0) printf "%.0f", (b - a) * 1e6 / hz / n; else print 0 }')
    mean=$(to_ms "$(printf '%s\n' "$o" | awk '$1 == "Latency" { print $2; exit }')")
    requests=$(printf '%s\n' "$o" | awk '/requests in/ { print $1 }')
    rate=$(printf '%s\n' "$o" | awk '/^Requests\/sec:/ { printf "%.0f", $2 }')
    p50=$(to_ms "$(printf '%s\n' "$o" | awk '$1 == "50%" { print $2 }')")
    p99=$(to_ms "$(printf '%s\n' "$o" | awk '$1 == "99%" { print $2 }')")
    errors=$(printf '%s\n' "$o" | awk '
        /Non-2xx or 3xx responses:/ { n += $NF }
        /Socket errors:/ { for (i = 3; i <= NF; i += 2) { v = $(i + 1); sub(/,/, "", v); n += v } }
        END { print n + 0 }')
    [ -n "$requests" ] && [ -n "$rate" ] || { printf '%s\n' "$o" >&2; return 1; }
}

if [ -n "$ci" ]; then
    run_wrk 4 2
    before=$(rss_kb)
    run_wrk 4 4
    after=$(rss_kb)
    growth=$((after - before))
    oasis_log "serve --ci: $requests requests at 4 connections, $errors errors, RSS ${before} kB -> ${after} kB"
    [ "$errors" -eq 0 ] || { echo "scripts/bench serve: $errors failed requests" >&2; exit 1; }
    [ "$requests" -gt 0 ] || { echo "scripts/bench serve: no request answered" >&2; exit 1; }
    [ "$growth" -le 4096 ] || { echo "scripts/bench serve: memory grew by $growth kB" >&2; exit 1; }
    echo "scripts/bench serve --ci: PASS"
    exit 0
fi

# In-process: the same searches without HTTP.
gcc -std=c11 -O2 -g -Wall -Wextra -I"$here" -I"$OASIS_ROOT/include" "$here/serve_inproc.c" \
    -o "$tmp/serve_inproc" -L"$OASIS_BUILD" -loasis -Wl,-rpath,"$OASIS_BUILD"
inproc=$("$tmp/serve_inproc" "$tmp/db" "$queries" --rounds 300)
field() { printf '%s' "$inproc" | sed "s/.*\"$1\":\([0-9.]*\).*/\1/"; }
search_us=$(field search_us) reopen_us=$(field reopen_search_us)
search_cpu=$(field search_cpu_us) reopen_cpu=$(field reopen_search_cpu_us)

mkdir -p "$(dirname "$out")"
{
    echo "| connections | requests | requests/s | mean (ms) | p50 (ms) | p99 (ms) | errors | server CPU per request (µs) |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
} >"$tmp/table"
best=0 p99_16= total_errors=0 mean_1= cpu_1=
for c in 1 4 16 64; do
    oasis_log "== wrk: $c connection(s), ${seconds} s"
    run_wrk "$c" "$seconds"
    echo "| $c | $requests | $rate | $mean | $p50 | $p99 | $errors | $cpu_us |" >>"$tmp/table"
    [ "$rate" -gt "$best" ] && best=$rate
    [ "$c" = 16 ] && p99_16=$p99
    [ "$c" = 1 ] && mean_1=$mean && cpu_1=$cpu_us
    total_errors=$((total_errors + errors))
done

# Memory: after the runs above (warm), then after 100,000 more requests.
oasis_log "== memory over 100,000 requests at 16 connections"
before=$(rss_kb)
sent=0
for _ in $(seq 60); do
    run_wrk 16 5
    sent=$((sent + requests))
    total_errors=$((total_errors + errors))
    [ "$sent" -ge 100000 ] && break
done
after=$(rss_kb)
growth=$((after - before))

pass() { if [ "$1" = 1 ]; then echo PASS; else echo FAIL; fi; }
overhead=$(awk -v a="$mean_1" -v b="$search_us" 'BEGIN { printf "%.0f", a * 1000 - b }')
cpu_overhead=$(awk -v a="$cpu_1" -v b="$search_cpu" 'BEGIN { printf "%.0f", a - b }')
capacity=$(awk -v a="$cpu_1" -v n="$(nproc)" 'BEGIN { if (a > 0) printf "%.0f", n * 1e6 / a; else print 0 }')
{
    echo "## oasis-serve under load ($(date -u +%Y-%m-%d), $(nproc) cores, wrk and the server on the same machine)"
    echo
    cat "$tmp/table"
    echo
    echo "- in-process oasis_search() of the same searches: ${search_us} µs each (${search_cpu} µs of CPU); with oasis_searcher_reopen() before each, as the server does: ${reopen_us} µs (${reopen_cpu} µs of CPU)"
    echo "- the server at 1 connection: ${mean_1} ms a request on average, ${overhead} µs over the in-process search; ${cpu_1} µs of the server's CPU a request, ${cpu_overhead} µs over the in-process search's"
    echo "- CPU bound: $(nproc) cores given to the server alone would answer at most about ${capacity} requests/s at that CPU cost"
    echo "- memory: RSS ${before} kB before, ${after} kB after $sent more requests (growth ${growth} kB)"
    echo
    echo "| target | measured | |"
    echo "|---|---|---|"
    echo "| ≥ 2,000 searches/s with facets | $best /s | $(pass $((best >= 2000))) |"
    echo "| p99 < 20 ms at 16 connections | $p99_16 ms | $(pass "$(awk -v p="$p99_16" 'BEGIN { print (p < 20) }')") |"
    echo "| no error | $total_errors | $(pass $((total_errors == 0))) |"
    echo "| memory flat over 100,000 requests (< 4 MiB growth) | $growth kB | $(pass $((sent >= 100000 && growth <= 4096))) |"
} >"$out"
cat "$out"
oasis_log "written to $out"
