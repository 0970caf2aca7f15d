#!/usr/bin/env bash
# Installs the Debian packages etcd-advisor drives (etcd, etcdctl, fio, ping, ip) when any is missing, and with --test
# what only its tests need (chromium, and the etcd 3.5 binaries of the test matrix: scripts/fetch-etcd-versions.sh);
# does nothing otherwise.
# Usage: scripts/install-system-deps.sh [--test]
set -euo pipefail

declare -A package_of=(
  [etcd]=etcd-server
  [etcdctl]=etcd-client
  [fio]=fio
  [ping]=iputils-ping
  [ip]=iproute2
  [openssl]=openssl
)
if [ "${1:-}" = "--test" ]; then
  # The report tests open report.html in headless Chromium (playwright-core drives /usr/bin/chromium).
  package_of[chromium]=chromium
fi
sudo=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
missing=()
for tool in "${!package_of[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("${package_of[$tool]}")
done
fetch_etcd_versions() {
  # Only for tests, never for `make run`: a private apt configuration, so the system's package sources stay as they are.
  if [ "${1:-}" = "--test" ]; then
    bash "$(dirname "$0")/fetch-etcd-versions.sh" --check && return 0
    $sudo env ETCD_ADVISOR_ETCD_CACHE="${ETCD_ADVISOR_ETCD_CACHE:-/var/cache/etcd-advisor}" bash "$(dirname "$0")/fetch-etcd-versions.sh"
  fi
}
if [ ${#missing[@]} -eq 0 ]; then
  fetch_etcd_versions "${1:-}"
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ] && [ -z "$sudo" ]; then
  echo "Need root (or sudo) to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
# Debian's etcd-server package may start a system etcd on 2379/2380; the advisor starts its own on free ports, so stop that one.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
  $sudo systemctl disable --now etcd || true
fi
fetch_etcd_versions "${1:-}"
