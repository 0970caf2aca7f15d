#!/usr/bin/env bash
# Speed and footprint targets (issues 5 and 11): our closed-model put loop (256 B keys, 1 KiB values) against a Go clientv3 loop on
# the same throwaway etcd at 1, 500 and 2000 clients, median of alternating runs; prints both rates and peak memories and the
# ratios (goals: lean >= 1.0x Go at 1 and 500 clients, peak memory <= 1.5x Go's at 2000). Not part of `make test`.
# Usage: bench/lean-vs-go.sh [seconds per run, default 15] [rounds, default 3]; CLIENT_COUNTS=1,500,2000 OTHERS=1 (node-http2, etcd3 at 500)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v go >/dev/null 2>&1 || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/clientv3 ]; then
  echo "installing golang-go and golang-etcd-server-dev (the Go clientv3 reference)..." >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends golang-go golang-etcd-server-dev >&2
fi
work="$(mktemp -d /tmp/etcd-advisor-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Debian ships clientv3 as source under /usr/share/gocode: build in GOPATH mode, no module download.
GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS=-mod=mod GOCACHE="$work/gocache" go build -o "$work/putloop" bench/go/putloop/main.go
[ -f dist/cli.js ] || npm run build >&2
node bench/lean-vs-go.mjs "$work/putloop" "${1:-15}" "${2:-3}"
