//! A failing and a passing example for every rule: printed by `gonogo explain`, and
//! run by the test suite (tests/cli/rules.rs), so the documentation cannot lie.

/// (code, failing files, passing files); files are (name, text) in the folder of a
/// release `example` (a name with a folder is a path under `releases/`). A text
/// `@tool/file` stands for a real report from `tests/fixtures/reports/`. A file named
/// `$ARGS` holds the options the example is checked with (`--require go`).
pub type Case = (
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const BASE: &str = "release:\n  product: Example\n";

pub const EXAMPLES: &[Case] = &[
    (
        "GN0001",
        &[("r.yaml", "release:\n  product: X\n  prodcut: Y\n")],
        &[("r.yaml", BASE)],
    ),
    (
        "GN0002",
        &[("a.yaml", BASE), ("b.yaml", "release:\n  product: Y\n")],
        &[("a.yaml", BASE), ("b.yaml", "tests:\n  suites: []\n")],
    ),
    (
        "GN0003",
        &[(
            "r.yaml",
            "release:\n  product: X\n  timezone: Mars/Olympus\n",
        )],
        &[(
            "r.yaml",
            "release:\n  product: X\n  timezone: America/New_York\n",
        )],
    ),
    (
        "GN0004",
        &[("r.yaml", "tests:\n  suites: []\n")],
        &[("r.yaml", BASE)],
    ),
    (
        "GN0101",
        &[(
            "r.yaml",
            "release: {product: X}\nchecklists:\n  - title: Briefing\n    duration: 30 min\n    items:\n      - {title: a, duration: 10 min}\n      - {title: b, duration: 15 min}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nchecklists:\n  - title: Briefing\n    duration: 30 min\n    items:\n      - {title: a, duration: 10 min}\n      - {title: b, duration: 20 min}\n",
        )],
    ),
    (
        "GN0102",
        &[(
            "r.yaml",
            "release: {product: X}\nchecklists:\n  - title: L\n    total: 3\n    items: [{title: a, done: true}, {title: b, done: true}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nchecklists:\n  - title: L\n    total: 2\n    items: [{title: a, done: true}, {title: b, done: true}]\n",
        )],
    ),
    (
        "GN0103",
        &[
            ("junit.xml", "@pytest/junit.xml"),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: py, reports: [junit.xml], passed: 5}]\n",
            ),
        ],
        &[
            ("junit.xml", "@pytest/junit.xml"),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: py, reports: [junit.xml], passed: 4}]\n",
            ),
        ],
    ),
    (
        "GN0201",
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  pass_rate: 16/18 (90%)\n  suites: [{name: s, passed: 16, failed: 2}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  pass_rate: 16/18 (89%)\n  suites: [{name: s, passed: 16, failed: 2}]\n",
        )],
    ),
    (
        "GN0202",
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  pass_rate: 115/116\n  suites: [{name: s, passed: 116}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  pass_rate: 116/116 (100%)\n  suites: [{name: s, passed: 116}]\n",
        )],
    ),
    (
        "GN0203",
        &[(
            "r.yaml",
            "release: {product: X, readiness: 50%}\nchecklists:\n  - title: L\n    items: [{title: a, done: true}, {title: b}, {title: c}, {title: d}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, readiness: 25%}\nchecklists:\n  - title: L\n    items: [{title: a, done: true}, {title: b}, {title: c}, {title: d}]\n",
        )],
    ),
    (
        "GN0301",
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 1000 ms\", actual: 1200 ms, met: true}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 1000 ms\", actual: 900 ms, met: true}\n",
        )],
    ),
    (
        "GN0302",
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 30 s\", actual: \"8,900 ms\", better: 76%}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 30 s\", actual: \"8,900 ms\", better: 70%}\n",
        )],
    ),
    (
        "GN0303",
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 1%\", actual: 240 ms}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 1 s\", actual: 240 ms}\n",
        )],
    ),
    (
        "GN0304",
        &[
            ("h.json", "@hyperfine/hyperfine.json"),
            (
                "r.yaml",
                "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 20 ms\", actual: 15 ms, from: {file: h.json, pointer: /results/0/mean, unit: s}}\n",
            ),
        ],
        &[
            ("h.json", "@hyperfine/hyperfine.json"),
            (
                "r.yaml",
                "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 20 ms\", actual: 11.7 ms, from: {file: h.json, pointer: /results/0/mean, unit: s}}\n",
            ),
        ],
    ),
    (
        "GN0401",
        &[(
            "r.yaml",
            "release: {product: X, deploy: \"Monday, 2025-12-25\"}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, deploy: \"Thursday, 2025-12-25\"}\n",
        )],
    ),
    (
        "GN0402",
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-12-25}\napprovals:\n  signoffs: [{role: QA, name: Q, status: approved, date: 2025-12-26}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-12-25}\napprovals:\n  signoffs: [{role: QA, name: Q, status: approved, date: 2025-12-22}]\n",
        )],
    ),
    (
        "GN0403",
        &[(
            "r.yaml",
            "release: {product: X, timezone: America/New_York, deploy: 2026-03-08 02:30}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, timezone: America/New_York, deploy: 2026-03-08 03:30}\n",
        )],
    ),
    (
        "GN0404",
        &[(
            "r.yaml",
            "release: {product: X, timezone: Europe/Berlin, deploy: 2026-10-25 01:00}\nrunbook:\n  phases: [{title: p, start: \"02:30\", end: T+3h}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, timezone: Europe/Berlin, deploy: 2026-10-25 01:00}\nrunbook:\n  phases: [{title: p, start: T+1h30min, end: T+3h}]\n",
        )],
    ),
    (
        "GN0501",
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  phases: [{title: p, start: T+0, end: T+30 min, duration: 45 min}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  phases: [{title: p, start: T+0, end: T+30 min, duration: 30 min}]\n",
        )],
    ),
    (
        "GN0502",
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  window: {start: T+0, end: T+1h}\n  phases: [{title: p, start: T+0, end: T+2h}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  window: {start: T+0, end: T+1h}\n  phases: [{title: p, start: T+0, end: T+1h}]\n",
        )],
    ),
    (
        "GN0503",
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  phases:\n    - {title: a, start: T+0, end: T+1h}\n    - {title: b, start: T+30 min, end: T+2h}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nrunbook:\n  phases:\n    - {title: a, start: T+0, end: T+1h}\n    - {title: b, start: T+30 min, end: T+2h, parallel: true}\n",
        )],
    ),
    (
        "GN0601",
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  signoffs: [{role: QA, status: approved, date: 2025-12-22}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  signoffs: [{role: QA, name: Quinn, status: approved, date: 2025-12-22}]\n",
        )],
    ),
    (
        "GN0602",
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  all_approved: true\n  signoffs: [{role: QA, name: Quinn, status: pending}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  all_approved: false\n  signoffs: [{role: QA, name: Quinn, status: pending}]\n",
        )],
    ),
    (
        "GN0603",
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  signoffs: [{role: QA, name: Quinn, status: approved, date: 2025-12-22, fingerprint: \"000000000000\"}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\napprovals:\n  signoffs: [{role: QA, name: Quinn, status: approved, date: 2025-12-22}]\n",
        )],
    ),
    (
        "GN0604",
        &[(
            "r.yaml",
            "release: {product: X}\npolicy:\n  go: {all_approvals: true}\n  fingerprint_required: true\napprovals:\n  signoffs: [{role: QA, name: Quinn, status: approved, date: 2025-12-22}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\npolicy:\n  go: {all_approvals: true}\napprovals:\n  signoffs: [{role: QA, name: Quinn, status: approved, date: 2025-12-22}]\n",
        )],
    ),
    (
        "GN0701",
        &[(
            "r.yaml",
            "release: {product: X, risk_level: low}\nrisks:\n  items: [{title: t, level: high, status: open}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, risk_level: high}\nrisks:\n  items: [{title: t, level: high, status: open}]\n",
        )],
    ),
    (
        "GN0702",
        &[(
            "r.yaml",
            "release: {product: X}\nrisks:\n  counts: {high: 2}\n  items: [{title: t, level: high, status: mitigated}]\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nrisks:\n  counts: {high: 1}\n  items: [{title: t, level: high, status: mitigated}]\n",
        )],
    ),
    (
        "GN0801",
        &[(
            "r.yaml",
            "release: {product: X, decision: GO}\nchecklists:\n  - {title: c, priority: critical, done: false}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, decision: NO-GO}\nchecklists:\n  - {title: c, priority: critical, done: false}\n",
        )],
    ),
    (
        "GN0802",
        &[(
            "r.yaml",
            "release: {product: X}\npolicy:\n  go: {high_done: 90% (16/18)}\nchecklists:\n  - {title: c, tally: {high: 0/18}}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\npolicy:\n  go: {high_done: 90% (17/18)}\nchecklists:\n  - {title: c, tally: {high: 0/18}}\n",
        )],
    ),
    (
        "GN0803",
        &[
            ("$ARGS", "--require go"),
            (
                "r.yaml",
                "release: {product: X}\npolicy:\n  go: {critical_done: 100%}\nchecklists:\n  - {title: c, priority: critical, done: false}\n",
            ),
        ],
        &[
            ("$ARGS", "--require go"),
            (
                "r.yaml",
                "release: {product: X}\npolicy:\n  go: {critical_done: 100%}\nchecklists:\n  - {title: c, priority: critical, done: true}\n",
            ),
        ],
    ),
    (
        "GN0901",
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-11-03 09:00}\noutcome: {status: SUCCESS}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-11-03 09:00}\noutcome: {status: SUCCESS, recorded: 2025-11-03 12:00}\n",
        )],
    ),
    (
        "GN0903",
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-11-03 09:00}\nchecklists:\n  - title: After\n    after_deployment: true\n    items: [{title: Users happy, done: false}]\noutcome: {status: success, recorded: 2025-11-04 09:00}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, deploy: 2025-11-03 09:00}\nchecklists:\n  - title: After\n    after_deployment: true\n    items: [{title: Users happy, done: true}]\noutcome: {status: success, recorded: 2025-11-04 09:00}\n",
        )],
    ),
    (
        "GN0902",
        &[(
            "r.yaml",
            "release: {product: X, last_updated: 2999-01-01}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X, last_updated: 2020-01-01}\n",
        )],
    ),
    (
        "GN1001",
        &[(
            "r.yaml",
            "release: {product: X}\nnarrative:\n  - {title: S, body: \"{{ no_such.fact }}\"}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nnarrative:\n  - {title: S, body: \"{{ product }}\"}\n",
        )],
    ),
    (
        "GN1002",
        &[(
            "r.yaml",
            "release: {product: X}\nnarrative:\n  - {title: S, body: \"We deploy Monday, December 25, 2025.\"}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\nnarrative:\n  - {title: S, body: \"We deploy Thursday, December 25, 2025.\"}\n",
        )],
    ),
    (
        "GN1003",
        &[
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: s, passed: 116}]\n",
            ),
            ("s.md", "# Summary\n\nAll good: 115/116 tests pass.\n"),
        ],
        &[
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: s, passed: 116}]\n",
            ),
            ("s.md", "# Summary\n\nAll good: 116/116 tests pass.\n"),
        ],
    ),
    (
        "GN1004",
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  suites: [{name: s, passed: 116}]\nnarrative:\n  - {title: S, body: \"A pass rate of 99%.\"}\n",
        )],
        &[(
            "r.yaml",
            "release: {product: X}\ntests:\n  suites: [{name: s, passed: 116}]\nnarrative:\n  - {title: S, body: \"A pass rate of 100%.\"}\n",
        )],
    ),
    (
        "GN1101",
        &[
            ("junit.xml", "@pytest/junit.xml"),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: py, reports: [missing.xml]}]\n",
            ),
        ],
        &[
            ("junit.xml", "@pytest/junit.xml"),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: py, reports: [junit.xml]}]\n",
            ),
        ],
    ),
    (
        "GN1102",
        &[
            ("junit.xml", "@nextest/junit.xml|tests=\"7\"|tests=\"8\""),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: rs, reports: [junit.xml]}]\n",
            ),
        ],
        &[
            ("junit.xml", "@nextest/junit.xml"),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: rs, reports: [junit.xml]}]\n",
            ),
        ],
    ),
    (
        "GN1103",
        &[
            ("h.json", "@hyperfine/hyperfine.json"),
            (
                "r.yaml",
                "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 20 ms\", from: {file: h.json, pointer: /results/9/mean, unit: s}}\n",
            ),
        ],
        &[
            ("h.json", "@hyperfine/hyperfine.json"),
            (
                "r.yaml",
                "release: {product: X}\nmetrics:\n  - {name: m, target: \"< 20 ms\", from: {file: h.json, pointer: /results/0/mean, unit: s}}\n",
            ),
        ],
    ),
    (
        "GN1104",
        &[
            (
                "junit.xml",
                "<testsuite name=\"s\"><testcase classname=\"C\" name=\"t\"><flakyFailure message=\"timeout\"/></testcase></testsuite>\n",
            ),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: s, reports: [junit.xml]}]\n",
            ),
        ],
        &[
            (
                "junit.xml",
                "<testsuite name=\"s\"><testcase classname=\"C\" name=\"t\"/></testsuite>\n",
            ),
            (
                "r.yaml",
                "release: {product: X}\ntests:\n  suites: [{name: s, reports: [junit.xml]}]\n",
            ),
        ],
    ),
    (
        "GN1201",
        &[
            (
                "v1/r.yaml",
                "release: {product: P, version: \"1.9\"}\ntests:\n  suites: [{name: s, passed: 10}]\n",
            ),
            (
                "v2/r.yaml",
                "release: {product: P, version: \"1.10\"}\ntests:\n  suites: [{name: s, passed: 9}]\n",
            ),
        ],
        &[
            (
                "v1/r.yaml",
                "release: {product: P, version: \"1.9\"}\ntests:\n  suites: [{name: s, passed: 10}]\n",
            ),
            (
                "v2/r.yaml",
                "release: {product: P, version: \"1.10\"}\ntests:\n  suites: [{name: s, passed: 11}]\n",
            ),
        ],
    ),
    (
        "GN1202",
        &[
            (
                "v1/r.yaml",
                "release: {product: P, deploy: 2025-01-01}\nmetrics: [{name: m, target: \"< 1 s\", actual: 900 ms}]\n",
            ),
            (
                "v2/r.yaml",
                "release: {product: P, deploy: 2025-02-01}\nmetrics: [{name: m, target: \"< 1 s\", actual: 1100 ms}]\n",
            ),
        ],
        &[
            (
                "v1/r.yaml",
                "release: {product: P, deploy: 2025-01-01}\nmetrics: [{name: m, target: \"< 1 s\", actual: 1100 ms}]\n",
            ),
            (
                "v2/r.yaml",
                "release: {product: P, deploy: 2025-02-01}\nmetrics: [{name: m, target: \"< 1 s\", actual: 900 ms}]\n",
            ),
        ],
    ),
    // GN13xx: `gonogo audit` reads these files as they are, outside any project.
    (
        "GN1301",
        &[("notes.md", "**Deployment**: Monday, December 25, 2025\n")],
        &[("notes.md", "**Deployment**: Thursday, December 25, 2025\n")],
    ),
    (
        "GN1302",
        &[(
            "notes.md",
            "## Briefing (30 minutes)\n### Overview (10 min)\n### Procedure (25 min)\n",
        )],
        &[(
            "notes.md",
            "## Briefing (30 minutes)\n### Overview (10 min)\n### Procedure (20 min)\n",
        )],
    ),
    (
        "GN1303",
        &[(
            "notes.md",
            "- 90%+ of high-priority items complete (16+/18)\n",
        )],
        &[(
            "notes.md",
            "- 88%+ of high-priority items complete (16+/18)\n",
        )],
    ),
    (
        "GN1304",
        &[(
            "notes.md",
            "| Metric | Target | Actual | Status |\n|---|---|---|---|\n| Job creation | <1000ms | 240ms | 86% better |\n",
        )],
        &[(
            "notes.md",
            "| Metric | Target | Actual | Status |\n|---|---|---|---|\n| Job creation | <1000ms | 240ms | 76% better |\n",
        )],
    ),
    (
        "GN1305",
        &[(
            "notes.md",
            "**Status:** AWAITING FINAL APPROVALS\n\n**Current Status:** READY FOR PRODUCTION\n",
        )],
        &[(
            "notes.md",
            "**Status:** ALL APPROVALS RECEIVED\n\n**Current Status:** READY FOR PRODUCTION\n",
        )],
    ),
    (
        "GN1306",
        &[(
            "notes.md",
            "### QA Lead\n**Name**: ________________\n**Status**: APPROVED\n",
        )],
        &[(
            "notes.md",
            "### QA Lead\n**Name**: Jordan Patel\n**Status**: APPROVED\n",
        )],
    ),
    (
        "GN1307",
        &[("notes.md", "**Status**: \u{e2}\u{153}\u{2026} APPROVED\n")],
        &[("notes.md", "**Status**: \u{2705} APPROVED\n")],
    ),
    (
        "GN1308",
        &[(
            "notes.md",
            "All 3 approvals obtained.\n\n| Role | Approver | Status |\n|---|---|---|\n| QA | Jo | APPROVED |\n| Security | Bo | PENDING |\n| Product | Al | APPROVED |\n",
        )],
        &[(
            "notes.md",
            "All 3 approvals obtained.\n\n| Role | Approver | Status |\n|---|---|---|\n| QA | Jo | APPROVED |\n| Security | Bo | APPROVED |\n| Product | Al | APPROVED |\n",
        )],
    ),
];
