#!/usr/bin/env bash
# spacedip against plain tools on one synthetic corpus: how far the release binary is from
# what sqlite3 and fzf do with the same data, and what the terminal browser costs at scale.
#
#   bash bench/compare.sh [N] [--dense] [--scripts] [--hashed-ids]   (default N: 1000000)
#
# `--dense` generates the second shape of `examples/synth.rs` (up to twelve parties, two to
# four sources and one to four institutions an event, longer summaries): about twice the links
# (10 an event) and one and a half times the bytes of the default shape at the same N.
# `--scripts` writes most titles and summaries in Cyrillic, accented Latin or CJK;
# `--hashed-ids` gives ids in no order. The options combine.
#
# Builds the release binary and the `synth` example, generates N events with
# `examples/synth.rs` under ${TMPDIR:-/tmp}, then measures, each pair in this one run:
#   import      spacedip import --quiet      vs  sqlite3 ".import --csv … events"  (+ peak RSS)
#   export      spacedip export --format csv vs  sqlite3 -csv, the same columns by joins and
#                                                group_concat, in the same (date) order
#   search      spacedip list --search Q     vs  sqlite3 "select id, title …" | fzf --filter Q
#   stats       spacedip stats --format json (wall time only)
#   TUI         first frame showing an event row in a detached 120x40 tmux pane; keystroke
#               latency (send a key, wait for the pane to change: median and p99); the
#               browser's VmHWM and VmRSS from /proc
# Times are wall seconds of one run (date +%s.%N); the ratio is spacedip / reference, so
# above 1 means spacedip is slower. Installs sqlite3, fzf, tmux and time with apt-get when
# missing (sudo unless root). Everything it writes goes to a temporary directory removed on
# exit. Needs about 3.5 KB of disk per event (the CSV, the spacedip database with its history,
# the sqlite3 copy): some 3.5 GB at the default N.
set -euo pipefail

n=1000000 shape="" row_id='SYN-[0-9]'
for arg in "$@"; do
  case "$arg" in
    --dense | --scripts) shape="${shape:+$shape }$arg" ;;
    --hashed-ids) shape="${shape:+$shape }$arg" row_id='ev-[0-9a-f]' ;;
    *[!0-9_]* | "") echo "usage: bash bench/compare.sh [N] [--dense] [--scripts] [--hashed-ids]" >&2; exit 2 ;;
    *) n=${arg//_/} ;;
  esac
done
here=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$here/target}
work=$(mktemp -d "${TMPDIR:-/tmp}/spacedip-compare.XXXXXX")
# A private tmux server, so that the user's sessions are never touched.
sock="spacedip-compare-$$"
cleanup() {
  tmux -L "$sock" kill-server >/dev/null 2>&1 || true
  # The server leaves its socket file behind.
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$sock"
  rm -rf "$work"
}
trap cleanup EXIT

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v fzf >/dev/null || missing+=(fzf)
command -v tmux >/dev/null || missing+=(tmux)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}…" >&2
  # A fresh container has no package lists yet: update only when the first try fails.
  as_root apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
    { as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

echo "building the release binary and the synth example…" >&2
(cd "$here" && cargo build --release --quiet --bin spacedip --example synth)
bin="$target/release/spacedip"
csv="$work/big.csv"
db="$work/spacedip.db"
ref="$work/sqlite3.db"

echo "generating $n events${shape:+ ($shape)}…" >&2
# shellcheck disable=SC2086 # no shape, no argument
"$target/release/examples/synth" "$n" $shape >"$csv"
# Create and seed the database first, so that the import time is the import alone.
"$bin" --db "$db" init >/dev/null 2>&1

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# The wall seconds of a command, its output discarded.
wall() {
  local t0
  t0=$(now)
  "$@" >/dev/null
  since "$t0"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'; }
# CSV rows on stdin, header excluded: a record ends where its quotes balance.
csv_rows() { awk '{ q += gsub(/"/, "&"); if (q % 2 == 0) { rows++; q = 0 } } END { print rows - 1 }'; }

rows=()
row() { rows+=("$(printf '%-40s %14s %14s %8s' "$@")"); }

# Import: spacedip's peak RSS comes from GNU time, or from VmHWM polled while it runs.
echo "import…" >&2
t0=$(now)
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f %M -o "$work/rss" "$bin" --db "$db" import --quiet "$csv" >/dev/null
  t_import=$(since "$t0")
  rss_kb=$(tail -n 1 "$work/rss")
else
  "$bin" --db "$db" import --quiet "$csv" >/dev/null &
  pid=$! rss_kb=0
  while kill -0 "$pid" 2>/dev/null; do
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$hwm" ] && rss_kb=$hwm
    sleep 0.05
  done
  wait "$pid"
  t_import=$(since "$t0")
fi
t_ref_import=$(wall sqlite3 "$ref" ".import --csv $csv events")
row "import $n events (s)" "$t_import" "$t_ref_import" "$(ratio "$t_import" "$t_ref_import")"
row "import peak RSS (MiB)" "$(awk -v k="$rss_kb" 'BEGIN { printf "%.1f", k / 1024 }')" "-" "-"

# Export: the reference rebuilds the interchange columns from the spacedip database itself.
echo "export…" >&2
export_sql="
WITH p AS (
  SELECT event_id, group_concat(party, ';') AS parties FROM (
    SELECT event_id, actor_id
        || CASE WHEN role = 'partner' AND certainty = 'confirmed' THEN '' ELSE ':' || role END
        || CASE certainty WHEN 'claimed' THEN ':claimed' ELSE '' END AS party
    FROM event_actor ORDER BY event_id, position)
  GROUP BY event_id),
i AS (
  SELECT event_id, group_concat(institution_id, ';') AS institutions FROM (
    SELECT event_id, institution_id FROM event_institution ORDER BY event_id, position)
  GROUP BY event_id),
s AS (
  SELECT event_id, group_concat(src, ';') AS sources FROM (
    SELECT event_id, source_id || coalesce(':' || locator, '') AS src
    FROM event_source ORDER BY event_id, position)
  GROUP BY event_id)
SELECT e.id, e.date_start AS date, e.date_end AS end_date, e.programme_id AS programme, e.kind,
       e.channel, e.valence, e.venue, e.follows, e.title, e.summary, e.notes,
       p.parties, i.institutions, s.sources
FROM event e
LEFT JOIN p ON p.event_id = e.id
LEFT JOIN i ON i.event_id = e.id
LEFT JOIN s ON s.event_id = e.id
ORDER BY e.day_lo, e.day_hi, e.id;"
t_export=$(wall "$bin" --db "$db" export --format csv)
t_ref_export=$(wall sqlite3 -csv -header "$db" "$export_sql")
row "export --format csv (s)" "$t_export" "$t_ref_export" "$(ratio "$t_export" "$t_ref_export")"

# Search: fzf exits 1 when nothing matches, which is a result, not a failure.
echo "search…" >&2
ref_search() { sqlite3 "$db" "select id, title from event" | fzf --filter "$1" || [ $? -eq 1 ]; }
for q in lunar Mongolia memorandm; do
  t0=$(now)
  hits=$("$bin" --db "$db" list --search "$q" --format csv | csv_rows)
  t_search=$(since "$t0")
  t0=$(now)
  ref_hits=$(ref_search "$q" | wc -l)
  t_ref_search=$(since "$t0")
  row "search '$q' (s) [$hits / $ref_hits hits]" "$t_search" "$t_ref_search" \
    "$(ratio "$t_search" "$t_ref_search")"
done

echo "stats…" >&2
row "stats --format json (s)" "$(wall "$bin" --db "$db" stats --format json)" "-" "-"

# The browser in a detached 120x40 pane. `exec` makes the pane's process spacedip itself,
# so its /proc entry is the browser's.
echo "TUI…" >&2
tmx() { tmux -L "$sock" "$@"; }
pane() { tmx capture-pane -p -t bench; }
t0=$(now)
tmx new-session -d -s bench -x 120 -y 40 "exec '$bin' --db '$db'"
first=""
for _ in $(seq 1 12000); do # 10 ms polls: two minutes at most
  if [[ "$(pane 2>/dev/null)" =~ $row_id ]]; then
    first=$(since "$t0")
    break
  fi
  sleep 0.01
done
row "TUI first frame with rows (s)" "${first:-timeout}" "-" "-"

if [ -n "$first" ]; then
  # Search mode, a word, backspaces and another word: each key timed until the pane changes.
  keys=(/ l u n a r BSpace BSpace BSpace BSpace BSpace o r b i t)
  : >"$work/latency"
  for k in "${keys[@]}"; do
    before=$(pane)
    t0=$(now) t_last=$t0
    if [ "$k" = BSpace ]; then tmx send-keys -t bench BSpace; else tmx send-keys -t bench -l "$k"; fi
    for _ in $(seq 1 2000); do # 5 ms polls: ten seconds at most
      [ "$(pane)" != "$before" ] && break
      sleep 0.005
    done
    awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }' >>"$work/latency"
  done
  read -r median p99 < <(sort -n "$work/latency" | awk '{ v[NR] = $1 }
    END { i = int(NR * 0.99 + 0.999); if (i > NR) i = NR; print v[int((NR + 1) / 2)], v[i] }')
  row "TUI keystroke latency median (ms)" "$median" "-" "-"
  row "TUI keystroke latency p99 (ms)" "$p99" "-" "-"
  # A key echoes at once while the search runs behind it: also time until the status bar
  # drops its "searching…" mark, from the last key.
  settled=""
  for _ in $(seq 1 6000); do # 20 ms polls: two minutes at most
    if [[ "$(pane)" != *'searching…'* ]]; then
      settled=$(since "$t_last")
      break
    fi
    sleep 0.02
  done
  row "TUI results after last key (s)" "${settled:-timeout}" "-" "-"

  pid=$(tmx list-panes -t bench -F '#{pane_pid}')
  mem() { awk -v f="$1:" '$1 == f { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
  row "TUI VmHWM (MiB)" "$(mem VmHWM)" "-" "-"
  row "TUI VmRSS (MiB)" "$(mem VmRSS)" "-" "-"
  # Leave search mode, then quit; the pane closes with the browser.
  tmx send-keys -t bench Escape
  # A pause, or the terminal reader could take Escape and q together as Alt-q.
  sleep 0.3
  tmx send-keys -t bench q
  for _ in $(seq 1 500); do
    tmx has-session -t bench 2>/dev/null || break
    sleep 0.01
  done
fi
tmx kill-session -t bench >/dev/null 2>&1 || true

echo
printf '%-40s %14s %14s %8s\n' "operation ($n events${shape:+, $shape})" spacedip reference ratio
printf '%s\n' "${rows[@]}"
