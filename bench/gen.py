#!/usr/bin/env python3
"""Write N synthetic releases in gonogo's data format (benchmark data, issue #7).

Usage:
    python3 bench/gen.py N OUTDIR [--seed S] [--hugo-data DIR] [--verify PATH/TO/gen_releases.py]

Writes OUTDIR/gonogo.yaml (site file and policy) and
OUTDIR/releases/<id>/release.yaml for ids rel-00001 ... rel-NNNNN.

The CONTENT is the one the shared Hugo benchmark generator makes
(/work/shared/bench/gen_releases.py, "../shared/bench/" from the repository):
the vocabulary and `make_release` below are copied verbatim from it (same
seed, same per-release RNG), so release i holds the same facts here as in the
Hugo data, and is the same whatever N is. Only the *shape* differs: each
release dict is mapped into gonogo's schema by `to_gonogo` (see bench/README.md
for the field mapping and the few places where gonogo's format has no exact
equivalent). `--verify` imports the shared generator and checks that both make
identical releases for a sample of ids. `--hugo-data DIR` also writes the same
releases in the shared generator's own format, DIR/releases/<id>.yaml
(byte-identical to what gen_releases.py writes), for the Hugo site in
bench/hugo-site/.

Dates: the generated releases are dated 2025-01 .. 2029-01 and sign-offs lie
before them, so `gonogo check` must be run with a build time after the last
one (GN0902 future-record): run.sh sets SOURCE_DATE_EPOCH to BUILD_EPOCH below.

Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import sys

# The build time the benchmark uses (SOURCE_DATE_EPOCH): 2030-01-01T00:00:00Z,
# after every date the generator can write.
BUILD_EPOCH = 1893456000

# ===========================================================================
# BEGIN copied verbatim from /work/shared/bench/gen_releases.py
# (sections "Vocabulary" and "One release": SERVICES ... make_step).
# Do not edit: the point is to make the same facts as the Hugo data.
# ===========================================================================
# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

SERVICES = [
    "Checkout Service", "Payments API", "Search Indexer", "Identity Provider",
    "Notification Hub", "Inventory Sync", "Billing Engine", "Edge Gateway",
    "Reporting Warehouse", "Job Scheduler", "Mobile Backend", "Pricing Rules",
    "Customer Portal", "Ledger Core", "Media Transcoder", "Audit Trail",
]

TIMEZONES = [
    "Europe/Berlin", "Europe/London", "America/New_York", "America/Chicago",
    "America/Los_Angeles", "Asia/Tokyo", "Asia/Singapore", "Australia/Sydney",
    "UTC",
]

SUITES = [
    # name, frameworks, (min total, max total), seconds per test
    ("Unit", ["cargo test", "pytest", "jest", "go test"], (800, 4000), 0.02),
    ("Integration", ["pytest", "testcontainers", "cargo nextest"], (150, 900), 0.4),
    ("Contract", ["pact", "schemathesis"], (40, 260), 0.3),
    ("End-to-end", ["playwright", "cypress", "selenium"], (60, 320), 4.0),
    ("Performance", ["k6", "locust", "gatling"], (8, 40), 45.0),
]

# name, unit, op, target, typical actual spread (relative)
METRICS = [
    ("p95 latency", "ms", "<", 250, 0.25),
    ("p99 latency", "ms", "<", 800, 0.30),
    ("Error rate", "%", "<", 0.5, 0.60),
    ("Availability (30d)", "%", ">", 99.9, 0.0006),
    ("Throughput", "req/s", ">", 1200, 0.25),
    ("CPU at peak", "%", "<", 70, 0.20),
    ("Memory per pod", "MiB", "<", 512, 0.20),
    ("Apdex", "score", ">", 0.85, 0.08),
]

ROLES = [
    "Engineering Lead", "QA Lead", "Product Owner", "Security Officer",
    "Operations Manager", "Release Manager",
]

FIRST = ["Alex", "Sam", "Jordan", "Priya", "Chen", "Fatima", "Lukas", "Maria",
         "Kenji", "Aisha", "Tomás", "Ingrid", "Omar", "Zoë", "Ravi", "Elena",
         "Noah", "Mei", "Jonas", "Amara"]
LAST = ["Schmidt", "Okafor", "Nguyen", "García", "Kowalski", "Haddad", "Tanaka",
        "O'Brien", "Johansson", "Patel", "Rossi", "Dubois", "Kim", "Müller",
        "Silva", "Novak", "Cohen", "Mensah", "Larsen", "Ivanova"]

RISK_TITLES = [
    "Schema migration locks the orders table for longer than the window",
    "Third-party payment provider rate limits during peak",
    "Cache warm-up after deploy causes latency spike",
    "Feature flag defaults differ between regions",
    "Certificate rotation coincides with the release window",
    "Rollback requires a down-migration that drops a column",
    "New dependency has an unpatched CVE (moderate)",
    "On-call coverage thin during the release weekend",
    "Message queue backlog grows during the canary phase",
    "Mobile clients older than 3 versions call a removed endpoint",
    "Search reindex doubles cluster disk usage temporarily",
    "Config drift between staging & production",
    "Load test did not cover the new bulk-export path",
    "Connection pool size not tuned for the new pod count",
    "DNS TTL of 3600s delays traffic switch-over",
    "Data retention job overlaps with migration",
    "Audit log format change breaks SIEM parser",
    "Translation strings missing for 2 locales",
]
MITIGATIONS = [
    "Run migration online with batched backfill; abort if lock wait > 5s",
    "Enable client-side retry with jittered backoff; pre-agree quota increase",
    "Pre-warm caches from the snapshot before switching traffic",
    "Pin flag defaults in the release manifest and verify per region",
    "Freeze rotation until the window has closed",
    "Keep the column for one release; drop in the next one",
    "Upgrade to the patched minor version; WAF rule as a stop-gap",
    "Second on-call engineer booked; escalation tree confirmed",
    "Scale consumers to 2x before canary; alert at backlog > 10k",
    "Keep a compatibility shim for the old endpoint for 60 days",
    "Add temporary storage nodes; reindex in off-peak hours",
    "Diff rendered configs in CI; block on unexpected keys",
    "Add a targeted k6 scenario; gate the rollout on its p95",
    "Raise pool to 64 and watch wait-time metric",
    "Lower the TTL to 60s one day ahead",
    "Pause the retention job for the release night",
    "Ship parser update to the SIEM team in advance",
    "Fall back to English; translators scheduled for the next sprint",
]

CHECK_SUBJECTS = [
    # (subject, priority)
    ("database migrations", "critical"),
    ("rollback procedure", "critical"),
    ("production secrets", "critical"),
    ("backup & restore", "critical"),
    ("alerting rules", "high"),
    ("dashboards", "high"),
    ("feature flags", "high"),
    ("capacity plan", "high"),
    ("API changelog", "recommended"),
    ("user documentation", "recommended"),
    ("support runbook", "recommended"),
    ("release notes", "recommended"),
]
CHECK_ACTIONS = [
    "reviewed and signed off by the owning team",
    "tested end-to-end in staging",
    "linked in the release ticket",
    "verified against the production configuration",
    "dry-run completed with timings recorded",
]

PHASES = [
    "Pre-deployment checks", "Database migration", "Canary rollout",
    "Full rollout", "Post-deployment verification",
]

ROLLBACK_TRIGGERS = [
    "Error rate above 2% for 5 consecutive minutes",
    "p95 latency above 2x baseline for 10 minutes",
    "Any data-integrity check fails",
    "Payment success rate drops below 97%",
    "More than 3 pods in CrashLoopBackOff",
    "Customer-facing incident declared (SEV-1 or SEV-2)",
    "Migration exceeds its time box by 15 minutes",
    "Health endpoint returns non-200 from more than one region",
    "Queue backlog above 50k messages and rising",
    "Release Manager calls it",
]

CONTACT_ROLES = ["Release Manager", "On-call SRE", "Database Admin",
                 "Product Owner", "Support Lead"]
CHANNELS = ["#release-war-room", "#sre-oncall", "#db-ops", "#product",
            "#support-escalations", "pager: +1 555 0100", "bridge: meet/rel-night"]


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


# ---------------------------------------------------------------------------
# One release
# ---------------------------------------------------------------------------

def make_release(i, seed):
    rng = random.Random(seed * 1_000_003 + i)
    svc = SERVICES[i % len(SERVICES)]
    major = 1 + (i // len(SERVICES)) // 40
    minor = ((i // len(SERVICES)) % 40)
    patch = rng.randint(0, 9)
    base = dt.date(2025, 1, 6)
    date = base + dt.timedelta(days=(i * 3) % 1460 + rng.randint(0, 2))
    tz = rng.choice(TIMEZONES)

    # Quality profile drives how many problems the release has.
    # good: nothing wrong; borderline: warnings only; bad: blockers too.
    profile = rng.choices(["good", "borderline", "bad"], weights=[40, 35, 25])[0]
    p_warn = {"good": 0.0, "borderline": 0.12, "bad": 0.12}[profile]
    p_block = {"good": 0.0, "borderline": 0.0, "bad": 0.15}[profile]

    def person():
        return f"{rng.choice(FIRST)} {rng.choice(LAST)}"

    tests = []
    for name, fws, (lo, hi), per in SUITES:
        total = rng.randint(lo, hi)
        skipped = rng.randint(0, max(1, total // 50))
        failed = rng.randint(1, max(1, total // 100)) if rng.random() < p_block else 0
        passed = total - skipped - failed
        dur = round(total * per * rng.uniform(0.6, 1.4), 1)
        tests.append({"name": name, "framework": rng.choice(fws), "total": total,
                      "passed": passed, "failed": failed, "skipped": skipped,
                      "duration_s": dur})

    metrics = []
    for name, unit, op, target, spread in METRICS:
        miss = rng.random() < p_warn
        # distance from target, as a fraction of target
        d = rng.uniform(0.01, spread) if spread > 0.001 else rng.uniform(0.00005, spread)
        if op == "<":
            actual = target * (1 + d) if miss else target * (1 - d)
        else:
            actual = target * (1 - d) if miss else target * (1 + d)
            if unit == "%":
                actual = min(actual, 99.999)
                if not miss and actual <= target:
                    actual = 99.95
        nd = 3 if target < 1 or (unit == "%" and target > 99) else 1
        metrics.append({"name": name, "unit": unit, "target_op": op,
                        "target": target, "actual": round(actual, nd)})

    approvals = []
    for role in ROLES:
        r = rng.random()
        if r < p_block * 0.4:
            status = "rejected"
        elif r < p_block * 0.4 + p_warn:
            status = "pending"
        else:
            status = "approved"
        d = (date - dt.timedelta(days=rng.randint(1, 6))).isoformat() if status != "pending" else ""
        approvals.append({"role": role, "name": person(), "status": status, "date": d})

    risks = []
    for k, idx in enumerate(rng.sample(range(len(RISK_TITLES)), 10)):
        level = rng.choices(["critical", "high", "medium", "low"], weights=[8, 22, 40, 30])[0]
        if rng.random() < (p_block if level == "critical" else p_warn) * 2:
            status = "open"
        else:
            status = rng.choice(["mitigated", "accepted", "closed", "mitigated"])
        risks.append({"id": f"R-{k + 1:02d}", "title": RISK_TITLES[idx], "level": level,
                      "status": status, "mitigation": MITIGATIONS[idx]})

    checklist = []
    n = 0
    for subj, prio in CHECK_SUBJECTS:
        for act in CHECK_ACTIONS:
            n += 1
            miss_p = {"critical": p_block * 0.3, "high": p_warn * 0.5, "recommended": 0.05 + p_warn}[prio]
            done = not (rng.random() < miss_p)
            text = f"{subj[0].upper()}{subj[1:]} {act}"
            checklist.append({"id": f"CL-{n:03d}", "text": text, "priority": prio, "done": done})

    ns = slug(svc)
    hh, mm = rng.choice([(21, 0), (22, 0), (22, 30), (23, 0), (6, 0)])
    start = hh * 60 + mm
    runbook = []
    for p, phase in enumerate(PHASES):
        length = rng.choice([20, 30, 45, 60])
        end = start + length
        steps = []
        for s in range(8):
            steps.append(make_step(rng, p, s, ns, svc))
        runbook.append({"name": phase, "start": hhmm(start), "end": hhmm(end), "steps": steps})
        start = end + rng.choice([0, 5, 10])

    triggers = rng.sample(ROLLBACK_TRIGGERS, 6)
    contacts = [{"role": r, "name": person(), "channel": CHANNELS[k % len(CHANNELS)]}
                for k, r in enumerate(CONTACT_ROLES)]

    return {
        "id": f"rel-{i:05d}",
        "name": svc,
        "version": f"{major}.{minor}.{patch}",
        "date": date.isoformat(),
        "timezone": tz,
        "tests": tests,
        "metrics": metrics,
        "approvals": approvals,
        "risks": risks,
        "checklist": checklist,
        "runbook": runbook,
        "rollback_triggers": triggers,
        "contacts": contacts,
    }


def hhmm(minutes):
    minutes %= 24 * 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


STEP_TEMPLATES = [
    # per phase: list of (text, command, expect); {ns} {svc} {n} substituted
    [
        ("Confirm change freeze exception is approved", "jira issue view REL-{n} --plain | grep -i 'status: approved'", "One line containing \"Status: Approved\""),
        ("Check cluster capacity headroom", "kubectl top nodes --no-headers | awk '{{s+=$3}} END {{print s/NR}}'", "Average CPU < 60%"),
        ("Verify current version in production", "curl -fsS https://{ns}.internal/version | jq -r .version", "Previous version string, exit 0"),
        ("Snapshot the primary database", "pg_dump -Fc \"$DB_URL\" > /backups/{ns}-pre-{n}.dump", "Dump file > 0 bytes, exit 0"),
        ("Check error budget remaining", "slo-cli budget --service {ns} --window 30d", "Remaining budget >= 25%"),
        ("Announce start in the war room", "notify --channel '#release-war-room' --text 'Starting {svc} rollout'", "Message posted"),
        ("Verify container image signature", "cosign verify registry.internal/{ns}:{n} --key cosign.pub", "Verification succeeded"),
        ("Scale up consumers ahead of traffic", "kubectl -n {ns} scale deploy/{ns}-worker --replicas=12", "deployment.apps/{ns}-worker scaled"),
    ],
    [
        ("Put the service in maintenance mode for writes", "featurectl set {ns}.write_freeze=true --env prod", "Flag value true in all regions"),
        ("Run pending migrations", "migrate -path ./migrations -database \"$DB_URL\" up", "All migrations applied, exit 0"),
        ("Verify schema version", "psql \"$DB_URL\" -Atc 'SELECT max(version) FROM schema_migrations'", "Matches release manifest"),
        ("Backfill new columns in batches", "backfill --table orders --batch 5000 --sleep 200ms", "Rows remaining = 0"),
        ("Check for long-running locks", "psql \"$DB_URL\" -Atc \"SELECT count(*) FROM pg_locks WHERE NOT granted\"", "0"),
        ("Analyze changed tables", "psql \"$DB_URL\" -c 'ANALYZE orders; ANALYZE order_items;'", "ANALYZE, exit 0"),
        ("Re-enable writes", "featurectl set {ns}.write_freeze=false --env prod", "Flag value false in all regions"),
        ("Record migration timings", "migrate-report --since 1h >> release-{n}.log", "Timings appended"),
    ],
    [
        ("Deploy canary (5% traffic)", "helm upgrade {ns} ./chart --set image.tag={n} --set canary.weight=5 -n {ns}", "STATUS: deployed"),
        ("Wait for canary pods", "kubectl -n {ns} rollout status deploy/{ns}-canary --timeout=300s", "successfully rolled out"),
        ("Compare canary error rate", "promql 'sum(rate(http_errors{{app=\"{ns}\",track=\"canary\"}}[5m]))'", "< 0.5% and <= baseline"),
        ("Compare canary latency", "promql 'histogram_quantile(0.95, rate(http_duration_bucket{{app=\"{ns}\"}}[5m]))'", "p95 < 250 ms"),
        ("Smoke-test canary endpoints", "./smoke.sh --target canary --suite critical", "All checks PASS"),
        ("Raise canary to 25%", "helm upgrade {ns} ./chart --reuse-values --set canary.weight=25 -n {ns}", "STATUS: deployed"),
        ("Watch logs for new exceptions", "stern -n {ns} {ns}-canary --since 10m | grep -c ERROR", "0 new error signatures"),
        ("Go/no-go call for full rollout", "notify --channel '#release-war-room' --text 'Canary OK? (y/n)'", "Release Manager answers y"),
    ],
    [
        ("Roll out to all pods", "helm upgrade {ns} ./chart --reuse-values --set canary.weight=100 -n {ns}", "STATUS: deployed"),
        ("Wait for rollout", "kubectl -n {ns} rollout status deploy/{ns} --timeout=900s", "successfully rolled out"),
        ("Check pod restarts", "kubectl -n {ns} get pods -o jsonpath='{{.items[*].status.containerStatuses[*].restartCount}}'", "All 0"),
        ("Remove canary deployment", "kubectl -n {ns} delete deploy/{ns}-canary", "deployment.apps \"{ns}-canary\" deleted"),
        ("Purge CDN cache for static assets", "cdnctl purge --prefix /static/{ns}/", "Purge id returned"),
        ("Scale consumers back", "kubectl -n {ns} scale deploy/{ns}-worker --replicas=6", "scaled"),
        ("Verify version in all regions", "for r in eu us ap; do curl -fsS https://$r.{ns}.internal/version; done", "{n} x3"),
        ("Tag the release", "git tag -s v{n} -m 'Release {n}' && git push origin v{n}", "Tag pushed"),
    ],
    [
        ("Run full smoke suite", "./smoke.sh --target prod --suite full", "All checks PASS"),
        ("Check business KPIs", "kpi-cli compare --service {ns} --window 30m --baseline 7d", "Within ±5% of baseline"),
        ("Confirm alerts are quiet", "amtool alert query service={ns} --active", "No active alerts"),
        ("Verify backups still run", "backupctl last --service {ns}", "Last backup < 24h old"),
        ("Check synthetic monitors", "synthctl status --tag {ns}", "All monitors green"),
        ("Close maintenance window", "statuspage resolve --component {ns}", "Component operational"),
        ("Post summary", "notify --channel '#release-war-room' --text 'Release {n} of {svc} complete'", "Message posted"),
        ("Archive logs & timings", "tar czf release-{n}.tgz release-{n}.log && upload release-{n}.tgz", "Upload OK"),
    ],
]


def make_step(rng, phase, step, ns, svc):
    text, cmd, expect = STEP_TEMPLATES[phase][step]
    n = f"{rng.randint(1000, 9999)}"
    sub = {"ns": ns, "svc": svc, "n": n}
    return {"text": text.format(**sub), "command": cmd.format(**sub),
            "expect": expect.format(**sub)}


# ===========================================================================
# END of the copy from /work/shared/bench/gen_releases.py
# ===========================================================================


# ---------------------------------------------------------------------------
# Mapping one release (the shared generator's dict) into gonogo's schema
# ---------------------------------------------------------------------------

# Rollback triggers are plain strings in the Hugo data; gonogo needs a `kind`
# (automatic | manual). Fixed per trigger text, so it is deterministic.
TRIGGER_KIND = {
    "Error rate above 2% for 5 consecutive minutes": "automatic",
    "p95 latency above 2x baseline for 10 minutes": "automatic",
    "Any data-integrity check fails": "automatic",
    "Payment success rate drops below 97%": "automatic",
    "More than 3 pods in CrashLoopBackOff": "automatic",
    "Customer-facing incident declared (SEV-1 or SEV-2)": "manual",
    "Migration exceeds its time box by 15 minutes": "manual",
    "Health endpoint returns non-200 from more than one region": "automatic",
    "Queue backlog above 50k messages and rising": "automatic",
    "Release Manager calls it": "manual",
}

# Metric units gonogo's quantities do not read as written: `req/s` (a `/` is not
# part of a unit or a counted noun) is written as the counted noun `req per s`;
# `MiB` is read by gonogo as MB (1024 KB), so it stays.
UNIT = {"ms": "ms", "%": "%", "req/s": "req per s", "MiB": "MiB", "score": "score"}

# gonogo's risk states are open | mitigated | accepted; the Hugo data also has
# `closed`, which gonogo has no word for: a closed risk is written as mitigated.
RISK_STATUS = {"open": "open", "mitigated": "mitigated", "accepted": "accepted",
               "closed": "mitigated"}


def num(v):
    """A number as the shared generator's YAML writes it (repr)."""
    return repr(v)


def qty(v, unit):
    return f"{num(v)}{unit}" if unit == "%" else f"{num(v)} {unit}"


def to_gonogo(r):
    """The release dict of make_release as a gonogo release file (a dict)."""
    runbook = r["runbook"]
    date = r["date"]
    info = {
        "product": r["name"],
        "version": r["version"],
        "timezone": r["timezone"],
        # The Hugo data has a date only; the deployment starts with the runbook.
        "deploy": f"{date} {runbook[0]['start']}",
    }
    suites = []
    for t in r["tests"]:
        suites.append({
            "name": t["name"],
            "framework": t["framework"],
            "passed": t["passed"],
            "failed": t["failed"],
            "skipped": t["skipped"],
            "duration": f"{num(t['duration_s'])} s",
            "total": t["total"],  # a claim in gonogo: checked against the counts
        })
    metrics = []
    for m in r["metrics"]:
        u = UNIT[m["unit"]]
        metrics.append({
            "name": m["name"],
            "target": f"{m['target_op']} {qty(m['target'], u)}",
            "actual": qty(m["actual"], u),
        })
    signoffs = []
    for a in r["approvals"]:
        s = {"role": a["role"], "name": a["name"], "status": a["status"]}
        if a["date"]:
            s["date"] = a["date"]
        signoffs.append(s)
    risks = [{"id": k["id"], "title": k["title"], "level": k["level"],
              "status": RISK_STATUS[k["status"]], "mitigation": k["mitigation"]}
             for k in r["risks"]]
    items = [{"title": f"{c['id']} {c['text']}", "priority": c["priority"], "done": c["done"]}
             for c in r["checklist"]]
    phases = []
    for p in runbook:
        phases.append({
            "title": p["name"],
            "start": p["start"],
            "end": p["end"],
            "items": [{"title": s["text"], "command": s["command"], "expected": s["expect"]}
                      for s in p["steps"]],
        })
    return {
        "release": info,
        "tests": {"suites": suites},
        "metrics": metrics,
        "approvals": {"signoffs": signoffs},
        "risks": {"items": risks},
        "checklists": [{"title": "Release checklist", "items": items}],
        "runbook": {
            "window": {"start": runbook[0]["start"], "end": runbook[-1]["end"]},
            "phases": phases,
        },
        "rollback": {"triggers": [{"condition": t, "kind": TRIGGER_KIND[t]}
                                  for t in r["rollback_triggers"]]},
        "contacts": {"people": [{"role": c["role"], "name": c["name"], "contact": c["channel"]}
                                for c in r["contacts"]]},
    }


# The site file. The policy mirrors the Hugo site's status rule as far as
# gonogo's criteria can say it (see bench/README.md):
#   Hugo NO-GO: a failed test, an undone critical item, a rejected approval, an
#     open critical risk;  CONDITIONAL: a missed metric, an undone high item, a
#     pending approval, an open high risk;  else GO.
# gonogo has no criterion that tells a rejected approval from a pending one,
# and counts `accepted` risks as open; decisions follow gonogo's rules.
SITE = {
    "title": "Release readiness",
    "organisation": "Benchmark Engineering",
    "timezone": "UTC",
    # Hugo writes no PDFs; gonogo's sign-off sheet and runbook PDFs are switched off so
    # that both tools do the same data-to-pages work (HTML + Markdown).
    "pdf": False,
    "policy": {
        "go": {
            "critical_done": "100%",
            "high_done": "100%",
            "all_approvals": True,
            "max_open_risk": "medium",
            "max_failing_tests": 0,
            "max_missed_metrics": 0,
        },
        "go_with_conditions": {
            "critical_done": "100%",
            "max_open_risk": "high",
            "max_failing_tests": 0,
        },
    },
}


# ---------------------------------------------------------------------------
# YAML writer: block style, strings quoted where a plain scalar could be
# misread. ydump/yscalar are copied unchanged from
# /work/shared/bench/gen_releases.py: the Hugo data (--hugo-data) comes out
# byte-identical to that generator's, and gonogo's files are written in the
# same style.
# ---------------------------------------------------------------------------

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 _./()+-]*$")
_RESERVED = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}


def yscalar(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _RESERVED and not s.endswith(" "):
        return s
    return json.dumps(s, ensure_ascii=False)


def ydump(obj, indent=0):
    pad = " " * indent
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append(f"{pad}{k}:")
                out.append(ydump(v, indent + 2))
            elif isinstance(v, list):
                out.append(f"{pad}{k}: []")
            else:
                out.append(f"{pad}{k}: {yscalar(v)}")
    elif isinstance(obj, list):
        for item in obj:
            if isinstance(item, dict):
                first = True
                for k, v in item.items():
                    lead = f"{pad}- " if first else f"{pad}  "
                    first = False
                    if isinstance(v, (dict, list)) and v:
                        out.append(f"{lead}{k}:")
                        out.append(ydump(v, indent + 4))
                    else:
                        out.append(f"{lead}{k}: {yscalar(v)}")
            else:
                out.append(f"{pad}- {yscalar(item)}")
    return "\n".join(out)


# ---------------------------------------------------------------------------

def verify(path, seed, ids):
    """Import the shared generator and compare its releases with ours."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("shared_gen_releases", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    bad = [i for i in ids if mod.make_release(i, seed) != make_release(i, seed)]
    if bad:
        sys.exit(f"gen.py: releases {bad[:5]} differ from {path}: the copy is out of date")
    print(f"gen.py: {len(ids)} releases identical to {path}", file=sys.stderr)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of releases")
    ap.add_argument("outdir", help="data folder to write (gonogo.yaml and releases/ inside)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--hugo-data", metavar="DIR",
                    help="also write DIR/releases/<id>.yaml in the Hugo benchmark's format")
    ap.add_argument("--verify", metavar="GEN_RELEASES_PY",
                    help="check the copied generator against the shared one first")
    a = ap.parse_args(argv)
    if a.verify:
        verify(a.verify, a.seed, sorted({1, 2, 3, 17, 100, 999, 4321, 10000} | set(range(1, min(a.n, 50) + 1))))
    os.makedirs(os.path.join(a.outdir, "releases"), exist_ok=True)
    with open(os.path.join(a.outdir, "gonogo.yaml"), "w", encoding="utf-8") as f:
        f.write("# Benchmark data written by bench/gen.py\n" + ydump(SITE) + "\n")
    if a.hugo_data:
        os.makedirs(os.path.join(a.hugo_data, "releases"), exist_ok=True)
    for i in range(1, a.n + 1):
        r = make_release(i, a.seed)
        if a.hugo_data:
            with open(os.path.join(a.hugo_data, "releases", r["id"] + ".yaml"), "w", encoding="utf-8") as f:
                f.write(ydump(r) + "\n")
        d = os.path.join(a.outdir, "releases", r["id"])
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "release.yaml"), "w", encoding="utf-8") as f:
            f.write(ydump(to_gonogo(r)) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
