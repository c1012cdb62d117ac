#!/usr/bin/env bash
# IMAP benchmark: Pillarbox's imapd against Dovecot's IMAP server, on this
# machine, in one run. Installs what is missing (packaging/install-deps.sh,
# then dovecot-core and dovecot-imapd with the system service they start
# stopped again), builds Release, then for each client count seeds and
# measures Pillarbox and then Dovecot under the same command mix
# (imap_load.py), and then the memory of idle authenticated connections on
# each (imap_idle_memory.py), each on a fresh server in a fresh temp dir, and
# prints the Markdown tables for the README. Progress goes to stderr, the
# tables to stdout. Needs root (Dovecot starts as root). Not part of
# `make test`: nothing here passes or fails on speed or size.
#
#   sudo tests/bench/run_imap_bench.sh [--clients "1 10 50"] [--cycles 20]
#        [--idle-counts 1000,10000] [--accounts 100] [--only pillarbox|dovecot]
#        [--skip-load] [--skip-idle] [--no-build] [--json FILE]
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$root/tests/bench
build=$root/build/release
clients_list="1 10 50"
cycles=20
idle_counts="1000,10000"
accounts=100
max_seconds=600
only=""
do_build=1
do_load=1
do_idle=1
json_out=""

usage() {
  echo "usage: run_imap_bench.sh [--clients \"1 10 50\"] [--cycles N] [--idle-counts 1000,10000]" \
       "[--accounts N] [--max-seconds S] [--only pillarbox|dovecot] [--skip-load] [--skip-idle]" \
       "[--no-build] [--json FILE]" >&2
  exit 2
}
while (($#)); do
  case $1 in
    --clients) clients_list=$2; shift 2 ;;
    --cycles) cycles=$2; shift 2 ;;
    --idle-counts) idle_counts=$2; shift 2 ;;
    --accounts) accounts=$2; shift 2 ;;
    --max-seconds) max_seconds=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --skip-load) do_load=0; shift ;;
    --skip-idle) do_idle=0; shift ;;
    --no-build) do_build=0; shift ;;
    --json) json_out=$2; shift 2 ;;
    *) usage ;;
  esac
done
[[ -z $only || $only == pillarbox || $only == dovecot ]] || usage
log() { echo "run_imap_bench: $*" >&2; }

if [[ $(id -u) -ne 0 ]]; then
  log "run as root: Dovecot is started as root and drops privileges itself"
  exit 1
fi

# Descriptors: the servers (started from here) and the idle-connection
# generator inherit the limit. imapd holds one per connection; Dovecot one
# `imap` process per connection, each with a few.
largest=${idle_counts##*,}
want=$((largest + 1000))
if (($(ulimit -Hn) < want)); then ulimit -Hn "$want" 2>/dev/null || true; fi
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
if ((do_idle)) && (($(ulimit -n) < want)); then
  log "warning: open files limit is $(ulimit -n), below the $want that $largest idle connections need"
fi

# --- packages ------------------------------------------------------------
bash "$root/packaging/install-deps.sh"
bash "$root/packaging/ensure-user.sh"

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]; }
system_dovecot_running() { [[ -s /run/dovecot/master.pid ]] && kill -0 "$(cat /run/dovecot/master.pid)" 2>/dev/null; }
missing=()
for p in dovecot-core dovecot-imapd; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  was_running=0
  system_dovecot_running && was_running=1
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # As in run_pop3_bench.sh: the system Dovecot the maintainer scripts
  # started is stopped (and disabled) again; one that ran before is left.
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
         cmake --build "$build" -j "$(nproc)" --target pillarboxd smtpd imapd pillarbox >/dev/null; }; then
    log "the Release build of pillarboxd, smtpd, imapd and pillarbox failed: the Pillarbox rows will be missing"
    pillarbox_ok=0
  fi
fi

# --- runs ------------------------------------------------------------------
results=$(mktemp /tmp/pbx-imap-bench-results.XXXXXX)
trap 'rm -f "$results"' EXIT
status=0

# run_side SCRIPT LABEL MODE ARGS...: one peer run, its JSON line appended
# to $results (or a line saying it did not run).
run_side() {
  local script=$1 label=$2 mode=$3 out line
  shift 3
  log "$label, $mode: $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  sync  # the seeding's dirty pages must not be flushed during the other peer's run
  if out=$(python3 "$bench/$script" --mode "$mode" --max-seconds "$max_seconds" "$@"); then :; else status=1; fi
  line=$(grep '^{' <<<"$out" | tail -n 1 || true)
  if [[ -z $line ]]; then
    line="{\"server\": \"$label\", \"mode\": \"$mode\", \"args\": \"$*\", \"error\": \"failed, see the log above\"}"
    status=1
  fi
  log "$label: $line"
  echo "$line" >>"$results"
}

both() {
  local mode=$1
  shift
  if [[ $only != dovecot ]]; then
    if ((pillarbox_ok)); then
      run_side imap_pillarbox_peer.py Pillarbox "$mode" "$@"
    else
      echo "{\"server\": \"Pillarbox\", \"mode\": \"$mode\", \"args\": \"$*\", \"error\": \"build failed\"}" >>"$results"
      status=1
    fi
  fi
  if [[ $only != pillarbox ]]; then
    run_side imap_peer_dovecot.py Dovecot "$mode" "$@"
  fi
}

if ((do_load)); then
  for clients in $clients_list; do
    both load --clients "$clients" --cycles "$cycles"
  done
fi
if ((do_idle)); then
  both idle --accounts "$accounts" --idle-counts "$idle_counts"
fi

[[ -z $json_out ]] || cp "$results" "$json_out"
python3 "$bench/imap_bench_table.py" <"$results"
exit $status
