#!/usr/bin/env python3
"""Phase shares of a gonogo profile: `perf script` output on stdin (record with
`perf record -g --call-graph dwarf`). Each sample is given to the phase of the
OUTERMOST gonogo function on its stack that names one (load, ingest, check,
render, pdf, write, report); under render, tera / serde_json / pulldown_cmark frames
split it further. When the stack was cut short (no gonogo frame), the leaf's crate
decides (krilla, rustybuzz, ttf_parser, miniz_oxide -> pdf; serde_saphyr -> load ...).

    perf script -i perf.data | python3 bench/phases.py
"""
import collections
import re
import sys

PHASES = [  # (phase, pattern on a frame's symbol), outermost match wins
    ("load: read + YAML deserialize", r"gonogo::load::"),
    ("ingest + fingerprint (sha256)", r"gonogo::ingest::"),
    ("checks (rules)", r"gonogo::check::"),
    ("previous_of (compare with previous release)", r"gonogo::facts::previous_of"),
    ("write site files", r"gonogo::write::"),
    ("print diagnostics", r"gonogo::report::|annotate_snippets"),
]
RENDER_SUB = [  # under gonogo::render, innermost-first refinement
    ("render: PDF (krilla, rustybuzz, deflate)", r"gonogo::pdf::"),
    ("render: markdown (pulldown-cmark)", r"pulldown_cmark|gonogo::render::markdown"),
    ("render: facts.json (serde_json)", r"serde_json::ser|to_vec_pretty"),
    ("render: tera templates", r"tera::"),
    ("render: views (facts, serialize)", r"gonogo::render::view|gonogo::facts::"),
]
LEAF = [
    ("render: PDF (krilla, rustybuzz, deflate)", r"krilla|rustybuzz|ttf_parser|miniz_oxide|flate2|unicode_|subsetter|skrifa|fontdb"),
    ("render: tera templates", r"tera::"),
    ("load: read + YAML deserialize", r"saphyr|granit_parser|gonogo::model::"),
    ("ingest + fingerprint (sha256)", r"sha2::"),
    ("render: markdown (pulldown-cmark)", r"pulldown_cmark"),
    ("allocator / memcpy (cut stack)", r"malloc|_int_free|cfree|memmove|memcpy|memset|realloc|unlink_chunk"),
    ("kernel (page faults, I/O; cut stack)", r"_erms|page|folio|_raw_spin|syscall|exc_|do_|__x64|ext4|xfs|btrfs|vfs_|copy_"),
]


def classify(frames):
    # frames: leaf first
    outer = list(reversed(frames))
    for i, f in enumerate(outer):
        if "gonogo::render::" in f or "gonogo::pdf::" in f:
            inner = outer[i:]
            for name, pat in RENDER_SUB:
                if any(re.search(pat, g) for g in inner):
                    return name
            return "render: other"
        for name, pat in PHASES:
            if re.search(pat, f):
                return name
    for name, pat in LEAF:
        if frames and re.search(pat, frames[0]):
            return name
    return "unattributed (cut stack): " + (frames[0].split("(")[0][:60] if frames else "?")


def main():
    counts = collections.Counter()
    frames = []
    n = 0
    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            if frames:
                counts[classify(frames)] += 1
                n += 1
            frames = []
            continue
        if line.startswith(("\t", " ")):
            parts = line.strip().split(None, 1)
            if len(parts) == 2:
                frames.append(parts[1])
    if frames:
        counts[classify(frames)] += 1
        n += 1
    print(f"{n} samples")
    for name, c in counts.most_common(25):
        print(f"{100 * c / n:6.1f}%  {name}")


if __name__ == "__main__":
    main()
