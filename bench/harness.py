#!/usr/bin/env python3
"""Alternating whole-process timer for bench/run.sh (Python 3 standard library only).

    python3 bench/harness.py run SPEC.json RESULTS.jsonl
    python3 bench/harness.py report RESULTS.jsonl

`run` reads a spec written by run.sh:

    {"n": 1000, "runs": 3, "warmup": 1, "prewarm": ["dir", ...],
     "env": {"NAME": "value"}, "log_dir": "dir", "trash": "dir or absent",
     "tools": [{"name": "gonogo build", "cmd": ["..."], "clean": ["dir"],
                "before": ["cmd", "..."] or absent,
                "count": "out dir or null", "kind": "build|check|parse"}]}

It reads every file under `prewarm` once (so the first timed run does not pay
for a cold page cache), then runs rounds: in each round every tool once, in
the spec's order (A B C A B C ...), so a machine whose speed drifts moves all
tools alike. Before each run a tool's `before` command runs (untimed) and its
`clean` folders are moved into `trash` (or,
without one, deleted), untimed: every run is a cold build with no output and no
cache from the one before. Moved, not deleted, because on an ext4 file system
without a journal (this machine's) creating files soon after deleting many makes
the kernel skip each recently deleted inode (`recently_deleted` in ext4's inode
allocator): perf showed 40% of a 1,000-release build's samples there, a cost
that depends on what ran before, not on the tool. run.sh empties `trash` at the
end. The
first `warmup` rounds are not recorded. Each run's stdout and stderr go to
log_dir/<tool>.log (overwritten).

Per run it records wall seconds (monotonic clock around spawn .. reap), user
and system CPU seconds and the peak RSS of the child from os.wait4 (the method
of /work/shared/bench/timeit.py), and the CPU time other processes used in the
same window (all CPUs' busy time from /proc/stat minus the child's own: the
method of /work/shared/bench/lib.sh). Before each run it waits (at most
WAIT_IDLE_MAX s, default 60; 0 = don't) until other processes use less than
IDLE_CORES (default 0.15) cores. One JSON line per tool is appended to RESULTS.

`report` prints the results as Markdown tables.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HZ = os.sysconf("SC_CLK_TCK")


def busy_seconds():
    """Busy CPU seconds of the whole machine since boot (all CPUs)."""
    with open("/proc/stat") as f:
        for line in f:
            if line.startswith("cpu "):
                v = [int(x) for x in line.split()[1:]]
                # user nice system (idle iowait) irq softirq steal
                return (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / HZ
    return 0.0


def wait_idle():
    limit = float(os.environ.get("IDLE_CORES", "0.15"))
    most = float(os.environ.get("WAIT_IDLE_MAX", "60"))
    waited = 0.0
    while most > 0:
        b0 = busy_seconds()
        time.sleep(2)
        cores = (busy_seconds() - b0) / 2
        if cores < limit:
            break
        waited += 2
        if waited >= most:
            print(f"  machine still busy ({cores:.2f} cores by others) after {waited:.0f}s; timing anyway",
                  flush=True)
            break
    return waited


def prewarm(dirs):
    n = 0
    for d in dirs:
        for root, _, files in os.walk(d):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    while f.read(1 << 20):
                        pass
                n += 1
    return n


def count_pages(out):
    html = md = other = 0
    for root, _, files in os.walk(out):
        for name in files:
            if name.endswith(".html"):
                html += 1
            elif name.endswith(".md"):
                md += 1
            else:
                other += 1
    return html, md, other


def run_once(cmd, env, log):
    with open(log, "wb") as out:
        b0 = busy_seconds()
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        t1 = time.monotonic()
        b1 = busy_seconds()
    cpu = ru.ru_utime + ru.ru_stime
    return {
        "rc": os.waitstatus_to_exitcode(status),
        "wall": t1 - t0,
        "user": ru.ru_utime,
        "sys": ru.ru_stime,
        "cpu": cpu,
        "peak_mib": ru.ru_maxrss / 1024.0,
        "foreign_cpu": max(0.0, (b1 - b0) - cpu),
    }


def run(spec_path, results_path):
    with open(spec_path) as f:
        spec = json.load(f)
    env = dict(os.environ)
    env.update(spec.get("env", {}))
    log_dir = spec["log_dir"]
    os.makedirs(log_dir, exist_ok=True)
    t = time.time()
    print(f"  page cache: read {prewarm(spec.get('prewarm', []))} data files in {time.time() - t:.1f}s",
          flush=True)
    tools = spec["tools"]
    runs = {t["name"]: [] for t in tools}
    counts = {}
    rounds = spec["warmup"] + spec["runs"]
    for k in range(rounds):
        tag = "warm-up" if k < spec["warmup"] else f"run {k - spec['warmup'] + 1}/{spec['runs']}"
        for tool in tools:
            if tool.get("before"):
                subprocess.run(tool["before"], check=True)
            for i, d in enumerate(tool.get("clean", [])):
                clean(d, spec.get("trash"), f"n{spec['n']}-r{k}-{tool['name']}-{i}")
            waited = wait_idle()
            log = os.path.join(log_dir, tool["name"].replace(" ", "-") + ".log")
            r = run_once(tool["cmd"], env, log)
            r["waited_idle_s"] = waited
            print(f"  N={spec['n']} {tag:9} {tool['name']:14} wall {r['wall']:8.2f}s  cpu {r['cpu']:8.2f}s  "
                  f"peak {r['peak_mib']:7.0f} MiB  foreign cpu {r['foreign_cpu']:6.1f}s  exit {r['rc']}",
                  flush=True)
            if r["rc"] != 0:
                with open(log, errors="replace") as f:
                    tail = f.read()[-3000:]
                print(f"  {tool['name']} exited {r['rc']}; end of {log}:\n{tail}", flush=True)
            if tool.get("count") and tool["name"] not in counts:
                counts[tool["name"]] = count_pages(tool["count"])
            if k >= spec["warmup"]:
                runs[tool["name"]].append(r)
    with open(results_path, "a") as f:
        for tool in tools:
            rs = runs[tool["name"]]
            rec = {
                "tool": tool["name"],
                "kind": tool.get("kind", "build"),
                "n": spec["n"],
                "runs": rs,
                "warmup": spec["warmup"],
                "cmd": tool["cmd"],
                "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            }
            if tool["name"] in counts:
                rec["html"], rec["md"], rec["other_files"] = counts[tool["name"]]
            f.write(json.dumps(rec) + "\n")


def clean(d, trash, tag):
    """Moves folder `d` out of the way, into `trash` when given, else deletes it."""
    if not os.path.lexists(d):
        return
    if trash:
        os.makedirs(trash, exist_ok=True)
        os.rename(d, os.path.join(trash, tag.replace(" ", "-").replace("/", "-")))
    else:
        shutil.rmtree(d, ignore_errors=True)


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def fmt_s(x):
    return f"{x:.2f}" if x < 100 else f"{x:.0f}"


def report(results_path):
    recs = []
    with open(results_path) as f:
        for line in f:
            if line.strip():
                recs.append(json.loads(line))
    # The latest record per (tool, N).
    latest = {}
    for r in recs:
        if r["runs"]:
            latest[(r["tool"], r["n"])] = r
    sizes = sorted({n for _, n in latest})
    print("| tool | N | runs | page files (.html + .md) | wall median s (min..max) | CPU median s | CPU / wall "
          "| peak RSS MiB | pages/s | gonogo / Hugo pages/s | foreign CPU s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    order = ["gonogo build", "gonogo build (warm)", "gonogo build (one change)", "hugo", "gonogo check", "gonogo check (warm)",
             "gonogo parse"]
    for n in sizes:
        hugo = latest.get(("hugo", n))
        hugo_pps = None
        if hugo and "html" in hugo and all(x["rc"] == 0 for x in hugo["runs"]):
            hugo_pps = (hugo["html"] + hugo["md"]) / med(hugo["runs"], "wall")
        names = sorted({t for t, m in latest if m == n},
                       key=lambda t: (order.index(t) if t in order else 99, t))
        for t in names:
            r = latest[(t, n)]
            rs = r["runs"]
            wall = med(rs, "wall")
            bad = sum(x["rc"] != 0 for x in rs)
            pages = (r["html"] + r["md"]) if "html" in r else None
            pps = pages / wall if pages else None
            ratio = f"{pps / hugo_pps:.2f}" if (pps and hugo_pps and t != "hugo") else ("1" if t == "hugo" and hugo_pps else "–")
            label = t + (f" ({bad} runs failed)" if bad else "")
            print(f"| {label} | {n} | {len(rs)} | {pages if pages else '–'} | "
                  f"{fmt_s(wall)} ({fmt_s(min(x['wall'] for x in rs))}..{fmt_s(max(x['wall'] for x in rs))}) | "
                  f"{fmt_s(med(rs, 'cpu'))} | {med(rs, 'cpu') / wall:.2f} | {med(rs, 'peak_mib'):.0f} | "
                  f"{f'{pps:.0f}' if pps else '–'} | {ratio} | {med(rs, 'foreign_cpu'):.1f} |")
    print()
    print("| N | build / parse floor (wall) | check / parse floor (wall) | build / parse floor (CPU) "
          "| build CPU ms per release | check CPU ms per release | parse CPU ms per release "
          "| Hugo CPU ms per release |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in sizes:
        b, c, p, h = (latest.get((t, n)) for t in ("gonogo build", "gonogo check", "gonogo parse", "hugo"))
        w = {k: (med(v["runs"], "wall") if v else None) for k, v in (("b", b), ("c", c), ("p", p))}
        cpu = {k: (med(v["runs"], "cpu") if v else None) for k, v in (("b", b), ("c", c), ("p", p), ("h", h))}

        def ratio(a, z):
            return f"{a / z:.1f}" if a and z else "–"

        def per(x):
            return f"{1000 * x / n:.1f}" if x else "–"

        print(f"| {n} | {ratio(w['b'], w['p'])} | {ratio(w['c'], w['p'])} | {ratio(cpu['b'], cpu['p'])} | "
              f"{per(cpu['b'])} | {per(cpu['c'])} | {per(cpu['p'])} | {per(cpu['h'])} |")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "run":
        return run(sys.argv[2], sys.argv[3])
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        return report(sys.argv[2])
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main())
