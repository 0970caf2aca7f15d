#!/usr/bin/env bash
# `etcdctl check perf --load s` and our check-perf-s scenario against the same throwaway etcd, printed side by side. Not part of `make test`.
# Usage: bench/check-perf.sh [load: s|m|l|xl, default s]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/cli.js ] || npm run build >&2
node bench/check-perf.mjs "${1:-s}"
