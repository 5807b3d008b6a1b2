#!/usr/bin/env bash
# Plays every shipped scenario (but the 100k-vessel load test) through the
# simulator, the detectors (replay -events) and the scorer, and prints one
# markdown report: the baseline in docs/scores.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/straitwatch
go build -o "$bin" ./cmd/straitwatch
work=$(mktemp -d)
echo "# Detection scores on the shipped scenarios"
echo
echo "Made by \`bench/score-scenarios.sh\` on $(date -u +%Y-%m-%d): simulate (with -zones: the exercise's restricted areas and the simulator's approximate lanes) -> replay -events (strait preset, default region plus those zones) -> score, slack 15 min."
for f in scenarios/*.yaml; do
  n=$(basename "$f" .yaml)
  [ "$n" = "10-load-100k" ] && continue
  "$bin" simulate -o "$work/$n.nmea" -truth "$work/$n.truth" -zones "$work/$n.zones" "$f" 2>/dev/null
  "$bin" replay -events -extra-zones "$work/$n.zones" "$work/$n.nmea" > "$work/$n.events" 2>/dev/null
  echo
  echo "## $n"
  echo
  echo "$(wc -l < "$work/$n.truth") incidents, $(wc -l < "$work/$n.nmea") NMEA lines, $(wc -l < "$work/$n.events") event changes."
  echo
  "$bin" score --truth "$work/$n.truth" --events "$work/$n.events" | sed -n '/^| event type/,/^$/p'
done
rm -rf "$work"
