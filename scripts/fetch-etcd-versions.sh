#!/usr/bin/env bash
# Fetches the etcd 3.5 binaries the tests run (Debian trixie's and sid's etcd-server) into a cache outside the
# repository, with a private apt configuration so the system's package sources are never changed.
# Usage: scripts/fetch-etcd-versions.sh [--check]   (--check: exit 1 when something is missing, fetch nothing)
#   ETCD_ADVISOR_ETCD_CACHE  cache directory (default /var/cache/etcd-advisor); each version lands in
#                            $ETCD_ADVISOR_ETCD_CACHE/etcd-<upstream version>/usr/bin/etcd, and <suite> links to it.
# Quick when present: nothing is downloaded when every wanted binary is in the cache and runs.
set -euo pipefail

cache="${ETCD_ADVISOR_ETCD_CACHE:-/var/cache/etcd-advisor}"

# suite -> the etcd-server version the test matrix was written against (test/support/etcd-versions.ts).
declare -A wanted=([trixie]=3.5.16 [sid]=3.5.30)

have() { # upstream version -> 0 when its binary is cached and answers --version
  local said
  [ -x "$cache/etcd-$1/usr/bin/etcd" ] && said="$("$cache/etcd-$1/usr/bin/etcd" --version 2>/dev/null)" && [[ "$said" == *"etcd Version: $1"$'\n'* ]]
}
missing=()
for suite in "${!wanted[@]}"; do
  # A suite counts as present when its link points at a binary that runs (sid may have moved on from the wanted version).
  linked="$(readlink "$cache/$suite" 2>/dev/null || true)"
  [ -n "$linked" ] && have "${linked#etcd-}" || missing+=("$suite")
done
[ ${#missing[@]} -eq 0 ] && exit 0
[ "${1:-}" = "--check" ] && exit 1

# The same Debian mirror the system uses (the machine may reach no other host): the first non-security "…/debian" URI
# in /etc/apt's sources, one-line or deb822 format.
mirror="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
  | grep -v '^[[:space:]]*#' | grep -oE '(https?|file)://[^[:space:]]+/debian/?([[:space:]]|$)' | grep -v security \
  | head -n1 | tr -d '[:space:]' || true)"
mirror="${mirror%/}"
if [ -z "$mirror" ]; then
  echo "fetch-etcd-versions: no Debian mirror (…/debian) found in /etc/apt/sources.list*; cannot fetch etcd 3.5" >&2
  exit 1
fi
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$keyring" ] || { echo "fetch-etcd-versions: $keyring is missing (package debian-archive-keyring)" >&2; exit 1; }

mkdir -p "$cache"
apt_dir="$cache/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d" "$apt_dir/preferences.d"
: >"$apt_dir/preferences"
{
  for suite in "${missing[@]}"; do echo "deb [signed-by=$keyring] $mirror $suite main"; done
} >"$apt_dir/sources.list"
# Every path apt would read or write is the private one: the system's lists, caches, sources and pins stay untouched.
apt_opts=(
  -o "Dir::Etc::SourceList=$apt_dir/sources.list"
  -o "Dir::Etc::SourceParts=$apt_dir/sources.list.d"
  -o "Dir::Etc::Preferences=$apt_dir/preferences"
  -o "Dir::Etc::PreferencesParts=$apt_dir/preferences.d"
  -o "Dir::State::Lists=$apt_dir/lists"
  -o "Dir::Cache=$apt_dir/cache"
  -o "APT::Sandbox::User=root"
  -o "Acquire::Languages=none"
  -o "Debug::NoLocking=1"
)

echo "Fetching etcd-server from $mirror (${missing[*]}) into $cache"
apt-get "${apt_opts[@]}" -qq update
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
status=0
for suite in "${missing[@]}"; do
  want="${wanted[$suite]}"
  # The suite's current version (madison lists one line per suite): the tests were written against $want.
  full="$(apt-cache "${apt_opts[@]}" madison etcd-server | awk -v s="$suite" '$0 ~ (" " s "/")  && !found {print $3; found=1}')"
  if [ -z "$full" ]; then
    echo "fetch-etcd-versions: $suite has no etcd-server package" >&2
    status=1
    continue
  fi
  upstream="${full%%-*}"
  upstream="${upstream#*:}"
  if [ "$upstream" != "$want" ]; then
    echo "fetch-etcd-versions: $suite now ships etcd-server $full, not $want; fetching $full (update test/support/etcd-versions.ts)" >&2
  fi
  if ! have "$upstream"; then
    (cd "$work" && apt-get "${apt_opts[@]}" -qq download "etcd-server=$full")
    deb="$(ls "$work"/etcd-server_*.deb)"
    rm -rf "$cache/etcd-$upstream.tmp"
    dpkg-deb -x "$deb" "$cache/etcd-$upstream.tmp"
    rm -f "$deb"
    rm -rf "$cache/etcd-$upstream"
    mv "$cache/etcd-$upstream.tmp" "$cache/etcd-$upstream"
  fi
  ln -sfn "etcd-$upstream" "$cache/$suite"
  have "$upstream" || { echo "fetch-etcd-versions: $cache/etcd-$upstream/usr/bin/etcd does not run" >&2; status=1; continue; }
  echo "etcd $upstream ($suite) in $cache/etcd-$upstream/usr/bin/etcd"
done
# The lists are only needed to pick a version: the binaries stay, the ~40 MB of indexes go.
rm -rf "$apt_dir"
exit $status
