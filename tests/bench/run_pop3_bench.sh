#!/usr/bin/env bash
# Messages-retrieved-per-second benchmark: Pillarbox's pop3d against Dovecot's
# POP3 server, on this machine, in one run. Installs what is missing
# (packaging/install-deps.sh, then dovecot-core and dovecot-pop3d with the
# system service they start stopped again), builds Release, then for each
# client count seeds and measures Pillarbox and then Dovecot with the same
# messages and the same generator, each on a fresh server in a fresh temp dir,
# and prints the Markdown table for the README. Progress goes to stderr, the
# table to stdout. Needs root (Dovecot starts as root). Not part of
# `make test`: nothing here passes or fails on speed.
#
#   sudo tests/bench/run_pop3_bench.sh [--messages 1000] [--clients "1 20"]
#        [--max-seconds 300] [--only pillarbox|dovecot] [--no-build] [--json FILE]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$root/tests/bench
build=$root/build/release
messages=1000
clients_list="1 20"
max_seconds=300
only=""
do_build=1
json_out=""

usage() {
  echo "usage: run_pop3_bench.sh [--messages N] [--clients \"1 20\"] [--max-seconds S]" \
       "[--only pillarbox|dovecot] [--no-build] [--json FILE]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --messages) messages=$2; shift 2 ;;
    --clients) clients_list=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --no-build) do_build=0; shift ;;
    --json) json_out=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -z $only || $only == pillarbox || $only == dovecot ]] || usage
log() { echo "run_pop3_bench: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "run as root: Dovecot is started as root and drops privileges itself"
  exit 1
fi

# --- packages ------------------------------------------------------------
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/ensure-user.sh"

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }
system_dovecot_running() { [[ -s /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; }
missing=()
for p in dovecot-core dovecot-pop3d; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  was_running=0
  system_dovecot_running && was_running=1
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The packages' maintainer scripts (re)start the system Dovecot. Stopped
  # (and disabled) again when this install started it, so nothing
  # system-wide listens on 110/143 beside the private instance. A Dovecot
  # that ran before is left alone: the private instance shares no port,
  # socket or directory with it.
  if ((!was_running)); then
    if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null; then
      systemctl disable --now dovecot >/dev/null 2>&1 || true
    elif command -v invoke-rc.d >/dev/null; then
      invoke-rc.d dovecot stop >/dev/null 2>&1 || true
    fi
    log "stopped the system dovecot service the packages started"
  fi
fi

# --- build -----------------------------------------------------------------
pillarbox_ok=1
if ((do_build)) && [[ $only != dovecot ]]; then
  log "building Release in $build"
  if ! { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DPILLARBOX_TESTS=OFF >/dev/null &&
         cmake --build "$build" -j "$(nproc)" --target pillarboxd smtpd pop3d pillarbox >/dev/null; }; then
    log "the Release build of pillarboxd, smtpd, pop3d and pillarbox failed: the Pillarbox rows will be missing"
    pillarbox_ok=0
  fi
fi

# --- runs ------------------------------------------------------------------
results=$(mktemp /tmp/pbx-pop3-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT
status=0

# run_side SCRIPT LABEL CLIENTS: one peer run, its JSON line appended to
# $results (or a line saying it did not run).
run_side() {
  local script=$1 label=$2 clients=$3 out line
  log "$label: $messages messages over $clients clients (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  sync  # the seeding's dirty pages must not be flushed during the other peer's run
  if out=$(python3 "$bench/$script" --messages "$messages" --clients "$clients" \
             --max-seconds "$max_seconds"); then :; else status=1; fi
  line=$(grep '^{' <<<"$out" | tail -n 1 || true)
  if [[ -z $line ]]; then
    line="{\"server\": \"$label\", \"clients\": $clients, \"error\": \"failed, see the log above\"}"
    status=1
  fi
  log "$label: $line"
  echo "$line" >>"$results"
}

for clients in $clients_list; do
  if [[ $only != dovecot ]]; then
    if ((pillarbox_ok)); then
      run_side pop3_pillarbox_peer.py Pillarbox "$clients"
    else
      echo "{\"server\": \"Pillarbox\", \"clients\": $clients, \"error\": \"build failed\"}" >>"$results"
      status=1
    fi
  fi
  if [[ $only != pillarbox ]]; then
    run_side pop3_peer_dovecot.py Dovecot "$clients"
  fi
done

[[ -z $json_out ]] || cp "$results" "$json_out"
python3 "$bench/pop3_bench_table.py" <"$results"
exit $status
