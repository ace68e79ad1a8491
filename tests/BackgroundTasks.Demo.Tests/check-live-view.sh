#!/usr/bin/env bash
# Runs the demo's live view in tmux at 80x24 and 160x50, prints what the terminal shows mid-run and at the end,
# and checks that every task line's bar starts in one column. A manual check of the real terminal; the unit
# tests (LiveFrameTests, OutcomeTableTests) check the same layout deterministically on a fixed-size console.
# Usage: tests/BackgroundTasks.Demo.Tests/check-live-view.sh   (needs tmux and python3)
set -euo pipefail
command -v tmux >/dev/null || { echo "check-live-view: tmux is not installed (apt-get install tmux)"; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
dotnet build "$root/src/BackgroundTasks.Demo" -v q -nologo >/dev/null
dll="$root/src/BackgroundTasks.Demo/bin/Debug/net10.0/BackgroundTasks.Demo.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for size in 80x24 160x50; do
  width=${size%x*}; height=${size#*x}; session="bt-live-$$-$width"
  tmux new-session -d -s "$session" -x "$width" -y "$height" "dotnet '$dll' --db '$work/$size.db'; sleep 120"
  for moment in mid end; do
    sleep $([ "$moment" = mid ] && echo 4 || echo 8)
    tmux capture-pane -p -t "$session" > "$work/$size-$moment.txt"
    echo "=== $size, $moment of the run"
    cat "$work/$size-$moment.txt"
    python3 - "$work/$size-$moment.txt" "$width" <<'PY' || status=1
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
width = int(sys.argv[2])
bars = {line.index("━") for line in lines if "━" in line}
too_wide = [line for line in lines if len(line) > width]
if len(bars) > 1 or too_wide:
    sys.exit(f"check-live-view: bars start in columns {sorted(bars)}; lines wider than {width}: {len(too_wide)}")
PY
  done
  tmux kill-session -t "$session"
done
[ "$status" = 0 ] && echo "check-live-view: bars aligned, nothing wider than the terminal"
exit "$status"
