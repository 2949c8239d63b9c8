#!/usr/bin/env bash
# How long a new user waits: from a fresh clone, with an empty cargo cache, to the first page
# that `make run` serves. Clones the committed HEAD of this checkout into a temporary folder,
# points CARGO_HOME at an empty folder (the crates are downloaded inside the figure), runs
# `XTASK_TIMINGS=1 make run` there on port 3000, and polls /healthz and /login until both answer.
# Prints the seconds, and where cargo's timing reports are (one per build: browser, server).
# Usage: bench/first-page.sh [work-folder]   (default target/first-page in this checkout; port
# 3000 must be free; the folder is emptied)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$repo/target/first-page}
rm -rf "$work" && mkdir -p "$work/cargo-home"
git clone -q "$repo" "$work/clone"
start=$(date +%s)
( cd "$work/clone" && CARGO_HOME="$work/cargo-home" XTASK_TIMINGS=1 exec make run ) > "$work/run.log" 2>&1 &
runner=$!
trap 'pkill -f "$work/clone/target/debug/fuhua" || true; kill $runner 2>/dev/null || true' EXIT
until curl -sf -o /dev/null http://127.0.0.1:3000/healthz && curl -sf -o /dev/null http://127.0.0.1:3000/login; do
  if ! kill -0 $runner 2>/dev/null; then echo "make run stopped; see $work/run.log" >&2; exit 1; fi
  sleep 2
done
echo "first page served $(( $(date +%s) - start )) s after the clone"
grep -E 'Finished|Site ready' "$work/run.log" || true
echo "timing reports: $work/clone/target/cargo-timings/"
