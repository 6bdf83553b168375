#!/usr/bin/env bash
# End-to-end: runs `kioskd --demo` in a real terminal (tmux) the way a newcomer does,
# checks that the screen shows today's date in French and demo events, then presses q
# and checks the exit status is 0 and the terminal was given back.
set -euo pipefail
kioskd=${1:-.build/debug/kioskd}
kioskd=$(readlink -f "$kioskd")
session=kiosk-demo-$$
out=$(mktemp -d)
trap 'tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$out"' EXIT

days=(lundi mardi mercredi jeudi vendredi samedi dimanche)
months=(janvier février mars avril mai juin juillet août septembre octobre novembre décembre)
export TZ=Europe/Paris
dow=$(date +%u); day=$(date +%-d); month=$(date +%-m)
[ "$day" = 1 ] && day=1er
today="${days[$((dow-1))]} $day ${months[$((month-1))]}"

tmux new-session -d -s "$session" -x 120 -y 40 \
  "cd '$PWD' && TERM=xterm-256color '$kioskd' --demo; echo \"exit=\$?\" > '$out/status'; sleep 30"
screen=""
for _ in $(seq 1 50); do
  sleep 0.2
  screen=$(tmux capture-pane -p -t "$session" 2>/dev/null || true)
  if grep -q "Aujourd'hui" <<<"$screen"; then break; fi
done
sleep 0.5
screen=$(tmux capture-pane -p -t "$session")
echo "$screen"
grep -q "Le Mixeur" <<<"$screen" || { echo "demo-tmux: venue name missing"; exit 1; }
grep -q "$today" <<<"$screen" || { echo "demo-tmux: today's date '$today' missing"; exit 1; }
grep -q "Aujourd'hui" <<<"$screen" || { echo "demo-tmux: 'Aujourd'hui' missing"; exit 1; }
grep -qE "Atelier|Café des résidents|Exposition" <<<"$screen" || { echo "demo-tmux: no demo event on screen"; exit 1; }
tmux send-keys -t "$session" q
for _ in $(seq 1 50); do
  [ -s "$out/status" ] && break
  sleep 0.1
done
status=$(cat "$out/status" 2>/dev/null || echo "exit=none")
echo "demo-tmux: $status"
[ "$status" = "exit=0" ] || { echo "demo-tmux: kioskd did not exit 0 on q"; exit 1; }
after=$(tmux capture-pane -p -t "$session")
if grep -q "Aujourd'hui" <<<"$after"; then echo "demo-tmux: the lobby is still on screen after exit (alternate screen not left)"; exit 1; fi
echo "demo-tmux: ok"
