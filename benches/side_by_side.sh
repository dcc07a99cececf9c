#!/usr/bin/env bash
# Side-by-side timings of the query and search path: this checkout against an earlier
# revision, both release builds, on one generated corpus.
#
#   bash benches/side_by_side.sh [OLD_REV] [EVENTS]      (defaults: ee7516a, 1000000)
#
# The corpus uses the events header every release reads (no release-3 columns), so both
# binaries import the same file. Each command runs three times on a warm cache; the median
# wall time is printed. Needs git, awk and the Rust toolchain; writes under ${TMPDIR:-/tmp}.
set -euo pipefail

old_rev=${1:-ee7516a}
n=${2:-1000000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/spacedip-sbs.XXXXXX")
trap 'git -C "$here" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "building $old_rev and this checkout (release)…" >&2
git -C "$here" worktree add --detach "$work/old" "$old_rev" >/dev/null 2>&1
(cd "$work/old" && cargo build --release --quiet --locked)
(cd "$here" && cargo build --release --quiet --locked)
old="$work/old/target/release/spacedip"
new="$here/target/release/spacedip"

echo "generating $n events…" >&2
awk -v n="$n" 'BEGIN {
  print "id,date,end_date,programme,kind,channel,title,summary,notes,parties,institutions,sources"
  split("CSS ILRS CHANGE ARTEMIS", prog, " ")
  split("agreement mou statement selection workshop launch", kind, " ")
  split("un_multilateral multilateral bilateral national", chan, " ")
  split("lunar station orbital payload sample rover crew module science", word, " ")
  for (i = 1; i <= n; i++) {
    y = 1990 + i % 36; m = 1 + i % 12; d = 1 + i % 28
    printf "GEN-%07d,%04d-%02d-%02d,,%s,%s,%s,", i, y, m, d, prog[1 + i % 4], kind[1 + i % 6], chan[1 + i % 4]
    printf "Generated %s %s event %d,A %s summary,,CHN:signatory;RUS:signatory,,li2023\n", word[1 + i % 9], word[1 + (i * 7) % 9], i, word[1 + (i * 3) % 9]
  }
}' > "$work/events.csv"

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() { # binary, args…: the median wall time of three runs, in seconds
  local bin=$1; shift
  for _ in 1 2 3; do
    local t0 t1
    t0=$(date +%s.%N); "$bin" "$@" > /dev/null; t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
  done | median
}

for which in old new; do
  bin=${!which}
  SPACEDIP_DB="$work/$which.db" "$bin" import --quiet "$work/events.csv" > /dev/null
done

printf '%-44s %10s %10s\n' "command ($n events)" "$old_rev" "this"
while IFS= read -r line; do
  read -r -a args <<< "$line"
  o=$(SPACEDIP_DB="$work/old.db" timed "$old" "${args[@]}")
  w=$(SPACEDIP_DB="$work/new.db" timed "$new" "${args[@]}")
  printf '%-44s %9ss %9ss\n' "$line" "$o" "$w"
done <<'CMDS'
list --format csv
list -p ILRS --format csv
list -c bilateral --since 2020 --format csv
list -s lunar --format csv
list -s partner:russia --format csv
programmes
stats --format json
compare CSS ILRS
CMDS
