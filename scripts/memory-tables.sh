#!/usr/bin/env bash
# Regenerates the tables of docs/memory.md from the measured head profiles in ../shared.
# Usage: scripts/memory-tables.sh [path/to/tangram-sim]
set -euo pipefail
bin=${1:-.build/debug/tangram-sim}
profiles=${PROFILES:-../shared/head_profiles}
for model in llama-3.1-8b qwen3-4b; do
  case $model in
    llama-3.1-8b) stem=llama-3.1-8b-instruct ;;
    qwen3-4b) stem=qwen3-4b-instruct-2507 ;;
  esac
  for scorer in snapkv fastkvzip; do
    profile="$profiles/$scorer/${stem}_crosslayer.csv"
    echo "### $model, $scorer (measured, cross-layer), 32,768-token prompt, H_p = 4"
    echo
    echo "| kept ratio | full | uniform | monolithic-nonuniform | ragged-adjacent | ragged-sorted | ideal |"
    echo "|---|---|---|---|---|---|---|"
    for ratio in 0.7 0.5 0.3; do
      "$bin" memory --model "$model" --profile "$profile" --ratio "$ratio" --hp 4 --json - | python3 -c '
import json, sys
d = json.load(sys.stdin)
cells = {l["name"]: l for l in d["layouts"]}
order = ["full", "uniform", "monolithic-nonuniform", "ragged-adjacent", "ragged-sorted", "ideal"]
print("| %s | " % d["kept_ratio"] + " | ".join("%.1f%%" % (100 * cells[n]["reclaimed_fraction"]) for n in order) + " |")'
    done
    echo
  done
done
for model in llama-3.1-8b qwen3-4b; do
  case $model in
    llama-3.1-8b) stem=llama-3.1-8b-instruct ;;
    qwen3-4b) stem=qwen3-4b-instruct-2507 ;;
  esac
  profile="$profiles/snapkv/${stem}_crosslayer.csv"
  echo "### $model, snapkv (measured), kept ratio 0.3: ragged-sorted pages by H_p"
  echo
  echo "| H_p | groups | reclaimed | fragmentation | block-table entries per request | entries per decode step |"
  echo "|---|---|---|---|---|---|"
  for hp in 1 2 4 8 16 32 64; do
    "$bin" memory --model "$model" --profile "$profile" --ratio 0.3 --hp "$hp" --json - | python3 -c '
import json, sys
d = json.load(sys.stdin)
l = {x["name"]: x for x in d["layouts"]}["ragged-sorted"]
print("| %d | %d | %.1f%% | %.1f%% | %.0f | %.2f |" % (d["heads_per_group"], l["groups"], 100 * l["reclaimed_fraction"], 100 * l["fragmentation_fraction"], l["block_table_entries"], l["block_table_entries_per_decode_step"]))'
  done
  echo
done
