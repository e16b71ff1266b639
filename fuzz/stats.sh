#!/usr/bin/env bash
# Prints one Markdown table row per fuzz log in fuzz/logs/: target, seconds,
# executions, exec/s, libFuzzer's final cov/ft, corpus size, crash files.
cd "$(dirname "$0")"
for log in logs/*.log; do
  t=$(basename "$log" .log)
  execs=$(grep -oP '^stat::number_of_executed_units:\s*\K[0-9]+' "$log" | tail -1)
  secs=$(grep -oP '^Done [0-9]+ runs in \K[0-9]+' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+\s+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1)
  cov=$(sed -nE 's/.* cov: ([0-9]+) ft: ([0-9]+) corp: ([0-9]+)\/.*/\1 | \2 | \3/p' <<<"$last")
  rate=$(sed -nE 's/.*exec\/s: ([0-9]+).*/\1/p' <<<"$last")
  crashes=$(ls "artifacts/$t" 2>/dev/null | grep -cE '^(crash|timeout|oom|leak)-')
  echo "| $t | ${secs:-stopped} | ${execs:-?} | ${rate:-?} | ${cov:-? | ? | ?} | $crashes |"
done
