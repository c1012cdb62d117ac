#!/usr/bin/env bash
# Creates the unprivileged system user Pillarbox's children and its embedded
# PostgreSQL run as, when run as root and it does not exist yet. A master
# started as an ordinary user runs everything as that user and needs none.
set -euo pipefail
user=${1:-pillarbox}
[[ $(id -u) -eq 0 ]] || exit 0
id -u "$user" >/dev/null 2>&1 && exit 0
nologin=/usr/sbin/nologin
[[ -x $nologin ]] || nologin=/bin/false
useradd --system --no-create-home --home-dir /nonexistent --shell "$nologin" "$user"
echo "ensure-user: created system user $user"
