#!/usr/bin/env python3
"""Changes one fact of one release, for the `change-build` row of bench/run.sh.

    python3 bench/edit_one.py DATA/releases/rel-00500/release.yaml

The first `framework:` line of the file gains or loses " (edited)", so each round's
build sees one release whose facts (and pages) differ from the build before, and
nothing else changed. The framework is shown on the report; no rule reads it.
"""
import re
import sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    text = f.read()
m = re.search(r"^(\s*framework: .*?)( \(edited\))?$", text, re.M)
if not m:
    sys.exit(f"{path}: no `framework:` line to edit")
line = m.group(1) if m.group(2) else m.group(1) + " (edited)"
with open(path, "w", encoding="utf-8") as f:
    f.write(text[: m.start()] + line + text[m.end() :])
