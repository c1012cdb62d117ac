#!/usr/bin/env bash
# Installs every build and test dependency of Pillarbox from Debian packages.
# Idempotent: asks apt only for what is missing, runs `apt-get update` only
# then, and uses sudo when not run as root. No downloads outside apt.
set -euo pipefail

packages=(
  # build
  g++ cmake make pkg-config
  libuv1-dev libssl-dev libpq-dev libpqxx-dev liblua5.4-dev libpcre2-dev
  nlohmann-json3-dev catch2 libsystemd-dev libargon2-dev libc-ares-dev
  # runtime: embedded database and tools
  postgresql postgresql-client openssl
  # tests
  python3 procps iproute2 swaks libnet-ssleay-perl curl fetchmail isync dnsmasq-base
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
