#!/usr/bin/env bash
# Relayed-messages-per-second benchmark: Pillarbox (smtpd queueing in
# PostgreSQL, senderd sending) against Postfix, both relaying the same load to
# the same kind of destination, a private Postfix smtp-sink, on this machine,
# in one run. Installs what is missing (packaging/install-deps.sh, then postfix
# preseeded so no system-wide mail server starts), builds Release, then for
# each session count runs Pillarbox and then Postfix with the same generator
# and message count, each on a fresh server and a fresh sink in a fresh temp
# dir, and prints the Markdown table for the README. Progress goes to stderr,
# the table to stdout. Needs root (Postfix starts as root). Not part of
# `make test`: nothing here passes or fails on speed.
#
#   sudo tests/bench/run_send_bench.sh [--messages 2000] [--sessions "10"]
#        [--max-seconds 300] [--only pillarbox|postfix] [--no-build] [--json FILE]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$root/tests/bench
build=$root/build/release
messages=2000
sessions_list="10"
max_seconds=300
only=""
do_build=1
json_out=""

usage() {
  echo "usage: run_send_bench.sh [--messages N] [--sessions \"10\"] [--max-seconds S]" \
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
log() { echo "run_send_bench: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "run as root: Postfix is started as root and drops privileges itself"
  exit 1
fi

# --- packages ------------------------------------------------------------
# As in run_smtp_bench.sh: Postfix (which brings smtp-sink) preseeded to "No
# configuration", so the package neither sets up nor starts a system-wide
# server; a system service it did start anyway is stopped and disabled.
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/ensure-user.sh"

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }
if ! installed postfix; then
  log "installing postfix"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postfix >/dev/null
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
    systemctl disable --now postfix >/dev/null 2>&1 || true
  elif command -v invoke-rc.d >/dev/null; then
    invoke-rc.d postfix stop >/dev/null 2>&1 || true
  fi
  log "stopped the system postfix service the package installed"
fi

# --- build -----------------------------------------------------------------
pillarbox_ok=1
if ((do_build)) && [[ $only != postfix ]]; then
  log "building Release in $build"
  if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPILLARBOX_TESTS=OFF >/dev/null &&
         cmake --build "$build" -j "$(nproc)" --target pillarboxd smtpd senderd pillarbox >/dev/null; }; then
    log "the Release build of pillarboxd, smtpd, senderd and pillarbox failed: the Pillarbox rows will be missing"
    pillarbox_ok=0
  fi
fi

# --- runs ------------------------------------------------------------------
results=$(mktemp /tmp/pbx-send-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT
status=0

# run_side SCRIPT LABEL SESSIONS: one peer run, its JSON line appended to
# $results (or a line saying it did not run).
run_side() {
  local script=$1 label=$2 sessions=$3 out line
  log "$label: $messages messages over $sessions sessions, relayed to smtp-sink"
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
      run_side send_peer_pillarbox.py Pillarbox "$sessions"
    else
      echo "{\"server\": \"Pillarbox\", \"sessions\": $sessions, \"error\": \"build failed\"}" >>"$results"
      status=1
    fi
  fi
  if [[ $only != pillarbox ]]; then
    run_side send_peer_postfix.py Postfix "$sessions"
  fi
done

[[ -z $json_out ]] || cp "$results" "$json_out"
python3 "$bench/send_bench_table.py" <"$results"
exit $status
