#!/usr/bin/env bash
# Accepted-messages-per-second benchmark: Pillarbox's smtpd against Postfix
# delivering to Dovecot through LMTP, on this machine, in one run. Installs
# what is missing (packaging/install-deps.sh, then postfix and dovecot-lmtpd
# preseeded so no system-wide mail server starts), builds Release, then for each
# session count runs Pillarbox and then Postfix->Dovecot with the same
# generator and message count, each on fresh servers in a fresh temp dir, and
# prints the Markdown table for the README. Progress goes to stderr, the table
# to stdout. Needs root (Postfix and Dovecot start as root). Not part of
# `make test`: nothing here passes or fails on speed.
#
#   sudo tests/bench/run_smtp_bench.sh [--messages 2000] [--sessions "10 50"]
#        [--max-seconds 300] [--only pillarbox|postfix] [--no-build] [--json FILE]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$root/tests/bench
build=$root/build/release
messages=2000
sessions_list="10 50"
max_seconds=300
only=""
do_build=1
json_out=""

usage() {
  echo "usage: run_smtp_bench.sh [--messages N] [--sessions \"10 50\"] [--max-seconds S]" \
       "[--only pillarbox|postfix] [--no-build] [--json FILE]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --messages) messages=$2; shift 2 ;;
    --sessions) sessions_list=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --json) json_out=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -z $only || $only == pillarbox || $only == postfix ]] || usage
log() { echo "run_smtp_bench: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "run as root: Postfix and Dovecot are started as root and drop privileges themselves"
  exit 1
fi

# --- packages ------------------------------------------------------------
# Build and runtime dependencies come from packaging/install-deps.sh. The
# comparison servers are installed here rather than there: Postfix must be
# preseeded first (debconf's default, "Internet Site", would set up and start a
# system-wide server on port 25 on every developer machine running `make deps`).
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/ensure-user.sh"

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }
missing=()
for p in postfix dovecot-core dovecot-lmtpd; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  # "No configuration" writes no main.cf: the package neither sets up nor
  # starts a system-wide Postfix.
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Services these packages just installed are stopped and disabled, so
  # nothing system-wide runs beside the private instances. A Postfix or
  # Dovecot that was installed before is left alone: the private instances
  # share no port, socket or directory with it.
  for service in postfix dovecot; do
    [[ " ${missing[*]} " == *" $service"* ]] || continue
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
      systemctl disable --now "$service" >/dev/null 2>&1 || true
    elif command -v invoke-rc.d >/dev/null; then
      invoke-rc.d "$service" stop >/dev/null 2>&1 || true
    fi
    log "stopped the system $service service the package installed"
  done
fi

# --- build -----------------------------------------------------------------
pillarbox_ok=1
if ((do_build)) && [[ $only != postfix ]]; then
  log "building Release in $build"
  if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPILLARBOX_TESTS=OFF >/dev/null &&
         cmake --build "$build" -j "$(nproc)" --target pillarboxd smtpd pillarbox >/dev/null; }; then
    log "the Release build of pillarboxd, smtpd and pillarbox failed: the Pillarbox rows will be missing"
    pillarbox_ok=0
  fi
fi

# --- runs ------------------------------------------------------------------
results=$(mktemp /tmp/pbx-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT
status=0

# run_side SCRIPT LABEL SESSIONS: one peer run, its JSON line appended to
# $results (or a line saying it did not run).
run_side() {
  local script=$1 label=$2 sessions=$3 out line
  log "$label: $messages messages over $sessions sessions"
  sync  # the previous run's dirty pages must not be flushed during this one
  if out=$(python3 "$bench/$script" --messages "$messages" --sessions "$sessions" \
             --max-seconds "$max_seconds"); then :; else status=1; fi
  line=$(grep '^{' <<<"$out" | tail -n 1 || true)
  if [[ -z $line ]]; then
    line="{\"server\": \"$label\", \"sessions\": $sessions, \"error\": \"failed, see the log above\"}"
    status=1
  fi
  log "$label: $line"
  echo "$line" >>"$results"
}

for sessions in $sessions_list; do
  if [[ $only != postfix ]]; then
    if ((pillarbox_ok)); then
      run_side pillarbox_peer.py Pillarbox "$sessions"
    else
      echo "{\"server\": \"Pillarbox\", \"sessions\": $sessions, \"error\": \"build failed\"}" >>"$results"
      status=1
    fi
  fi
  if [[ $only != pillarbox ]]; then
    run_side peer_postfix_dovecot.py "Postfix→Dovecot" "$sessions"
  fi
done

[[ -z $json_out ]] || cp "$results" "$json_out"
python3 "$bench/bench_table.py" <"$results"
exit $status
