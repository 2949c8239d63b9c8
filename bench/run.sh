#!/usr/bin/env bash
# The performance harness, in one command from a fresh clone:
#   bench/run.sh [--db sqlite|postgres] [--scale N] [--duration S] [--connections C] [--only NAME|writes]
#                [--no-writes] [--no-build]
# Builds the release (make release), installs the load generators (Debian's wrk and hey) when
# missing, then runs bench/harness.py: seeds the demo city, starts `fuhua serve --bench-baseline`,
# signs in as each role and loads every page, with Fortunes as the same-run baseline, then the
# main writes against one committed insert, and checks the roll-ups after them. The table is
# printed and written to bench/results/. On PostgreSQL it starts the local cluster if it is down.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
args=()
for arg in "$@"; do
  if [[ $arg == --no-build ]]; then build=0; else args+=("$arg"); fi
done

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v hey >/dev/null || missing+=(hey)
if ((${#missing[@]})); then
  echo "==> installing ${missing[*]} (Debian packages)"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo=sudo
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || {
    $sudo apt-get update -qq && $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  }
fi

if [[ " ${args[*]-} " == *postgres* ]] && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "==> starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

if ((build)); then make release; fi
mkdir -p bench/results
exec python3 bench/harness.py "${args[@]}"
