//! Diagnostics: what a check found, kept apart from how it is printed.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;
use serde_saphyr::Spanned;
use std::path::PathBuf;

/// A loaded input file, kept so diagnostics can quote it.
pub struct SourceFile {
    /// Path as shown to the user (relative to where gonogo runs when possible).
    pub path: PathBuf,
    /// Absolute path, to resolve files the data names relative to it.
    pub abs: PathBuf,
    pub text: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Loc {
    pub file: usize,
    pub line: u64,
    pub col: u64,
    /// Length in characters of the value, when known.
    pub len: u64,
}

impl Loc {
    /// A finding about a file as a whole (unreadable, hidden, lacking a section): the
    /// file is named, no line (line 0).
    pub fn whole(file: usize) -> Loc {
        Loc {
            file,
            line: 0,
            col: 0,
            len: 0,
        }
    }
    pub fn of<T>(file: usize, s: &Spanned<T>) -> Loc {
        let l = s.referenced;
        Loc {
            file,
            line: l.line(),
            col: l.column(),
            len: l.span().len(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    #[allow(dead_code)] // reserved for rules that warn (comparison with earlier releases)
    Warning,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub loc: Option<Loc>,
    pub claimed: Option<String>,
    pub computed: Option<String>,
    pub notes: Vec<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: bounded(message.into()),
            loc: None,
            claimed: None,
            computed: None,
            notes: vec![],
        }
    }
    pub fn warning(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }
    pub fn at(mut self, loc: Loc) -> Self {
        self.loc = Some(loc);
        self
    }
    pub fn claimed(mut self, v: impl ToString) -> Self {
        self.claimed = Some(bounded(v.to_string()));
        self
    }
    pub fn computed(mut self, v: impl ToString) -> Self {
        self.computed = Some(bounded(v.to_string()));
        self
    }
    pub fn note(mut self, n: impl Into<String>) -> Self {
        self.notes.push(bounded(n.into()));
        self
    }
}

/// One rule of the catalogue: a stable code, a name, a summary, an explanation.
pub struct RuleInfo {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub explanation: &'static str,
}

/// Every code gonogo can emit. Codes are never reused; retired codes stay listed.
pub const CATALOGUE: &[RuleInfo] = &[
    RuleInfo {
        code: "GN0001",
        name: "invalid-data",
        summary: "a data file is not valid YAML, has an unknown key or a value of the wrong type",
        explanation: "Every key must be one gonogo knows (a did-you-mean suggestion is given) and every value must have the expected type: ISO 8601 dates, quantities such as `30-45 min`, fractions such as `10/25 (40%)`. Bidirectional override and isolate characters (U+202A–U+202E, U+2066–U+2069) and invisible characters between ordinary ones (zero-width space, word joiner, a stray byte-order mark, joiners between ASCII characters) are rejected anywhere in a data or narrative file: they make text print differently from what was checked. Joiners inside emoji and scripts that need them are fine.",
    },
    RuleInfo {
        code: "GN0002",
        name: "duplicate-section",
        summary: "a release section is defined in two files",
        explanation: "The files of a release folder are merged by top-level section. A section (`tests:`, `runbook:` …) may appear in one file only, so nobody edits a copy that is silently ignored.",
    },
    RuleInfo {
        code: "GN0003",
        name: "unknown-time-zone",
        summary: "a time zone is not an IANA time zone name",
        explanation: "Times are resolved in the release's time zone, named as in the IANA time zone database, e.g. `America/New_York`; a name not in the database is rejected (with a suggestion for common abbreviations).",
    },
    RuleInfo {
        code: "GN0004",
        name: "bad-release",
        summary: "a release folder or file cannot form a release",
        explanation: "A release needs a `release:` section with the product name, and its id (the folder or file name) may only use letters, digits, `.`, `_` and `-`.",
    },
    RuleInfo {
        code: "GN0101",
        name: "sum-mismatch",
        summary: "a quantity stated on a group is not the sum of its parts",
        explanation: "A `duration`, `checks`, `lines` or `size` written on a checklist section, a runbook phase or the runbook, whose children all state the same quantity, is a claim about their sum. `tests.manual.duration` and `tests.manual.cases` over scenarios that state their own are sums too. Ranges add as ranges (4-8 h + 2-4 h = 6-12 h) and the claim is compared at the precision it was written with.",
    },
    RuleInfo {
        code: "GN0102",
        name: "count-mismatch",
        summary: "a stated number of items, tests or suites is not what the data counts",
        explanation: "`total` on a checklist node counts the items below it (including tallied items); `tests.total`, `tests.suite_count` and a suite's `total` count tests and suites. (`tests.manual.cases` over the scenarios' own case counts is a sum: GN0101.)",
    },
    RuleInfo {
        code: "GN0103",
        name: "report-mismatch",
        summary: "a count or duration typed beside a test report disagrees with it",
        explanation: "When a suite names JUnit `reports`, its counts come from the files; a `passed`, `failed`, `errored`, `skipped` or `duration` typed beside them is a claim about the reports.",
    },
    RuleInfo {
        code: "GN0201",
        name: "fraction-percentage-mismatch",
        summary: "a fraction and the percentage written beside it disagree",
        explanation: "In `16+/18 (90%)` the fraction is 88.9 %, which is not 90 %. Percentages are compared at the precision written; `100%` and `0%` must be exact.",
    },
    RuleInfo {
        code: "GN0202",
        name: "rate-mismatch",
        summary: "a stated pass rate or progress differs from the data",
        explanation: "`pass_rate`, `progress` and `approvals.approved` claims are checked against the counted passed tests, done items and approvals. 100 % means all and 0 % none, at any precision written, and a rate over nothing (`0/0 (100%)`, no test run) is no rate.",
    },
    RuleInfo {
        code: "GN0203",
        name: "readiness-mismatch",
        summary: "a stated readiness percentage differs from the share of checklist items done",
        explanation: "Readiness is the share of all checklist items (listed and tallied) that are done.",
    },
    RuleInfo {
        code: "GN0301",
        name: "target-met-mismatch",
        summary: "a metric is said to meet its target but does not, or the reverse",
        explanation: "`met:` is computed from `actual` and `target` (`< 1000 ms`, `>= 99%`, `50+`) after converting units.",
    },
    RuleInfo {
        code: "GN0302",
        name: "better-than-target-mismatch",
        summary: "a stated \"% better than target\" differs from target and actual",
        explanation: "For a ceiling (`< 30 s`) the improvement is (target - actual) / target; for a floor (`> 99%`) it is (actual - target) / target. `70%` agrees with 70.33 %, `76%` does not.",
    },
    RuleInfo {
        code: "GN0303",
        name: "unit-mismatch",
        summary: "a metric's actual value and target measure different things",
        explanation: "An actual of `240 ms` cannot be compared with a target of `< 1%`: give both in units of the same kind (time, size, percent or count).",
    },
    RuleInfo {
        code: "GN0304",
        name: "actual-mismatch",
        summary: "an actual value typed beside its JSON source disagrees with it",
        explanation: "When a metric reads its actual value `from` a JSON file, an `actual` typed beside it is a claim about the file, compared at the precision written.",
    },
    RuleInfo {
        code: "GN0401",
        name: "weekday-mismatch",
        summary: "a stated weekday does not match its date",
        explanation: "A date written with a weekday (`Monday, 2025-12-25`) claims the weekday; 2025-12-25 is a Thursday.",
    },
    RuleInfo {
        code: "GN0402",
        name: "date-order",
        summary: "dates are in an impossible order",
        explanation: "Sign-offs must not be dated after the deployment they approve (such a sign-off does not count as an approval), and `last_updated` must not be after the build.",
    },
    RuleInfo {
        code: "GN0403",
        name: "nonexistent-local-time",
        summary: "a local time falls in a daylight-saving gap",
        explanation: "A wall-clock time (the deployment, `last_updated`, a sign-off, the outcome's `recorded`, and a runbook or rollback clock time such as `02:30` on the deployment's day) that does not exist in the release's time zone, because the clocks jump forward over it, is rejected: it names no instant, so nothing can be timed from it.",
    },
    RuleInfo {
        code: "GN0404",
        name: "ambiguous-local-time",
        summary: "a local time happens twice (the clocks fall back over it)",
        explanation: "A wall-clock time that the clocks pass twice, because they fall back at the end of daylight-saving time, is read as the first of the two instants and reported as a warning: write a runbook time as an offset from the deployment (`T+30 min`), which names one instant.",
    },
    RuleInfo {
        code: "GN0501",
        name: "phase-duration-mismatch",
        summary: "a phase's stated duration differs from its end minus its start",
        explanation: "When a phase has `start` and `end`, its `duration` is a claim about the time between them.",
    },
    RuleInfo {
        code: "GN0502",
        name: "outside-window",
        summary: "a phase does not sit inside the deployment window",
        explanation: "With `runbook.window`, every phase must start and end inside it.",
    },
    RuleInfo {
        code: "GN0503",
        name: "phase-overlap",
        summary: "two phases overlap",
        explanation: "Phases run one after another unless one is marked `parallel: true`.",
    },
    RuleInfo {
        code: "GN0601",
        name: "incomplete-approval",
        summary: "an approval has no name or no date",
        explanation: "An approved or conditional sign-off is an approval only with the approver's name and the date; without them it counts as pending.",
    },
    RuleInfo {
        code: "GN0602",
        name: "approvals-mismatch",
        summary: "\"all approved\" is stated but the sign-offs disagree",
        explanation: "`all_approved` is checked against the required roles that have a complete approved sign-off (a named person, not a placeholder such as `TBD`; dated; not after the deployment). A stated count of approvals (`approved: 3/4`) is GN0202.",
    },
    RuleInfo {
        code: "GN0603",
        name: "stale-approval",
        summary: "an approval was given for an earlier version of the facts",
        explanation: "A sign-off may record the data fingerprint it approves (`fingerprint:`, as `gonogo approve` writes it; the sheet and `gonogo check` print it). The fingerprint covers the release's files except its `approvals` and `outcome` sections and the site file. When the facts have changed since, the approval no longer counts: the role is pending again (an earlier sign-off of the role does not take its place), and the decision is made without it. Where the data folder is a git checkout, the finding names the commit the approval was given at and the facts changed since. For each role the latest sign-off counts (by date, then further down the list); a rejection that is a role's latest sign-off blocks GO whether or not the role is required; a sign-off of a role that is not required never counts toward the required approvals.",
    },
    RuleInfo {
        code: "GN0604",
        name: "unbound-approval",
        summary: "an approval records no fingerprint where the policy requires one",
        explanation: "With `fingerprint_required: true` in the policy, an approval counts only when it records the data fingerprint of the facts it approves. `gonogo approve` records it.",
    },
    RuleInfo {
        code: "GN0701",
        name: "risk-level-mismatch",
        summary: "the stated overall risk level is not the highest open risk",
        explanation: "The overall level is the highest level among risks that are not mitigated (open or accepted); with none, it is low.",
    },
    RuleInfo {
        code: "GN0702",
        name: "risk-count-mismatch",
        summary: "a stated number of risks at a level is wrong",
        explanation: "`risks.counts.<level>` counts the listed risks at that level, whatever their status.",
    },
    RuleInfo {
        code: "GN0801",
        name: "decision-mismatch",
        summary: "a stated decision or status differs from the one the policy gives",
        explanation: "The decision is computed from the go/no-go policy (site default, overridable per release). A stated `decision` or `status` that differs is an error listing each failed criterion with its numbers.",
    },
    RuleInfo {
        code: "GN0802",
        name: "policy-count-mismatch",
        summary: "a policy threshold contradicts the count written beside it",
        explanation: "`90% (16/18)` is a contradiction: 90 % of 18 items needs 17. The denominator must also equal the number of items of that priority.",
    },
    RuleInfo {
        code: "GN0803",
        name: "below-requirement",
        summary: "with --require, a release whose decision falls short of it, or cannot be made",
        explanation: "`gonogo check --require go` (or `build`) is a CI gate: every release checked must be GO; `--require conditions` accepts GO WITH CONDITIONS too. A release short of it is an error naming the criteria it fails, so the pipeline stops and nothing is published. A release whose decision cannot be made (a section left out after GN0001) fails the gate too: no evidence, no GO. With no release checked at all, nothing is GO, and the gate fails.",
    },
    RuleInfo {
        code: "GN0901",
        name: "premature-record",
        summary: "a result is recorded before the deployment it reports on",
        explanation: "An outcome (status, measured values) is a blank form until the deployment has happened: it needs a `recorded` date after the deployment time. So is what is confirmed after the deployment: an item of an `after_deployment` checklist ticked, or an `after_deployment` metric with a value, while the deployment is not scheduled or lies after the build.",
    },
    RuleInfo {
        code: "GN0902",
        name: "future-record",
        summary: "a date lies after the build",
        explanation: "A result recorded, or a document updated, after the time of the build cannot be true yet. The build time is now, or SOURCE_DATE_EPOCH when set.",
    },
    RuleInfo {
        code: "GN0903",
        name: "unconfirmed-success",
        summary: "the outcome says success while what confirms it after the deployment is open",
        explanation: "Checklists and metrics marked `after_deployment` are what confirms a deployment worked (\"error rate below 1% for 24 hours\", \"users happy\"). They do not count toward the decision, and are judged once the outcome is written: an outcome `status` that says the deployment succeeded, while an item of those checklists is not done or one of those metrics is not met, contradicts them.",
    },
    RuleInfo {
        code: "GN1001",
        name: "narrative-expression",
        summary: "a `{{ expression }}` in narrative or a template cannot be evaluated",
        explanation: "Narrative and communication templates may insert facts such as `{{ tests.passed }}`; an expression naming an unknown fact is an error.",
    },
    RuleInfo {
        code: "GN1002",
        name: "narrative-weekday",
        summary: "narrative text gives a weekday that does not match its date",
        explanation: "In narrative Markdown, \"Monday, December 25, 2025\", \"Mon 3 Nov 2025\", \"Monday, 2025-12-25\" and \"2025-11-03 (Monday)\" are checked. Code, block quotes and expressions are not read.",
    },
    RuleInfo {
        code: "GN1003",
        name: "narrative-count",
        summary: "narrative text states a count that the data contradicts",
        explanation: "\"N/M\" or \"N of M\" followed by tests, scenarios, approvals, sign-offs or (critical, high-priority) items is checked against the data; words such as failing, pending or open say which part is counted.",
    },
    RuleInfo {
        code: "GN1004",
        name: "narrative-percentage",
        summary: "narrative text states a pass rate or a \"% better\" that the data contradicts",
        explanation: "A percentage next to \"pass rate\" is checked against the test (or scenario) pass rate; \"N% better\" after a metric's name against that metric, at the precision written.",
    },
    RuleInfo {
        code: "GN1101",
        name: "report-unreadable",
        summary: "a test report or JSON file cannot be used",
        explanation: "A file a release names must exist inside the data folder (no absolute paths, no `..`, no symlink out), be readable, and be a JUnit XML report (root `<testsuites>` or `<testsuite>`); a glob must match at least one file.",
    },
    RuleInfo {
        code: "GN1102",
        name: "report-inconsistent",
        summary: "a JUnit suite's attributes disagree with its test cases (warning)",
        explanation: "Runners write `tests=`, `failures=`, `errors=`, `skipped=` on each `<testsuite>`; gonogo counts the `<testcase>` elements instead and warns when the two differ. How it counts, where JUnit readers disagree (chosen so that nothing that did not pass is counted as passed): every `<testcase>` is one test, so a test rerun as several cases counts each attempt (some readers merge cases of one name; Surefire's `<flakyFailure>` inside a passing case is one pass, named flaky: GN1104); an error outranks a failure, which outranks a skip or `status=\"disabled\"`; disabled and not-run cases are skipped, never passed; a failure or error written directly under a `<testsuite>`, or declared by a suite that has no test case at all, counts as a failing test. `--deny warnings` makes the warning an error.",
    },
    RuleInfo {
        code: "GN1103",
        name: "json-value",
        summary: "a JSON Pointer does not lead to a usable number",
        explanation: "`from.pointer` must resolve to a number in valid JSON, in a unit (`from.unit`: s, ms, µs, %, ratio, or a counted noun) comparable with the metric's target.",
    },
    RuleInfo {
        code: "GN1104",
        name: "flaky-test",
        summary: "a test passed only when run again (warning)",
        explanation: "Maven Surefire reruns failing tests (`rerunFailingTestsCount`) and writes each failed attempt of a test that then passed as `<flakyFailure>` or `<flakyError>`. gonogo counts the test as passed, as the runner does, and names it: a test that fails now and then is not evidence that the code works. A test that failed every attempt is a failure (`<failure>` with `<rerunFailure>`). `--deny warnings` makes it an error.",
    },
    RuleInfo {
        code: "GN1201",
        name: "fewer-tests",
        summary: "a release has fewer tests than the previous release of its product (warning)",
        explanation: "Releases of one product are ordered by version (numerically: 1.10 after 1.9), else by deployment date. Fewer automated tests than the previous release usually means tests were deleted or not run.",
    },
    RuleInfo {
        code: "GN1202",
        name: "metric-regressed",
        summary: "a metric met in the previous release now misses its target (warning)",
        explanation: "A metric with the same name that met its target in the previous release of the product and misses it now.",
    },
    RuleInfo {
        code: "GN1301",
        name: "audit-weekday",
        summary: "`gonogo audit`: a weekday that does not match its date",
        explanation: "Forms read: \"Monday, December 25, 2025\", \"Mon 3 Nov 2025\", \"2025-11-03 (Monday)\", \"Monday 2025-11-03\", \"December 25, 2025 (Thursday)\". A date written without its year (\"Monday, December 25\") takes the year the document gives that same day elsewhere, and is skipped when the document names other years. In a timeline dated by its heading or lead line (\"Freeze week (Nov 3 – Nov 5, 2025)\", \"Deployment day: 2025-11-06\"), an item that starts with a weekday (\"Thursday: deploy\") must fall on one of those days; spans of a week or more are not read.",
    },
    RuleInfo {
        code: "GN1302",
        name: "audit-sum",
        summary: "`gonogo audit`: a stated total that is not the sum of its parts (in text or in a table), or a date range's stated length",
        explanation: "Parts are the headings or list items under a heading, item or lead line, each with its figure in a bracketed label (\"Deploy (15 min)\", \"Application health (6 checks)\"); the siblings before a \"Total: …\" line; the one group of N numbered phases or stages when a line says \"N stages over 3.5 hours\"; each document's \"(a KB, b lines)\" against \"N documents (X KB, Y lines)\"; items \"Unit: 370/370\" under \"All 1,640 tests pass\"; a \"Total <what>: N\" line (\"Total automated tests: 180\") after a list whose every item states its count in brackets (\"Unit tests (120)\"), unless the label names a subset (failed, open, critical…) or a time; a procedure's estimate in its heading or on the line under it (\"Rollback — estimated time: 4-6 hours\") against its numbered steps, each with its own estimate (in brackets, after \"estimated\", or a \"Duration: 10 min\" line under the step); in a Markdown table, a `Total` row against the rows above it, column by column (numbers, durations, sizes, fractions), and a `Total` column against the other figures of its row where two rows at least show it is their sum (columns of rates, averages, maxima, targets, versions or dates, columns with a blank or a percentage, and tables with a subtotal are not added), and a \"Total: N\" line right after a table against the one column that holds its kind of figure in every row and whose header names nothing the label does not (\"Total tests: 1,640\" totals a Tests column, not a Failed tests one); and a length in brackets after a range of two dates, \"April 2, 2024 - October 1, 2025 (26 weeks)\" (weeks within a week; days with or without the last). Durations add across units and ranges add as ranges. A duration over its parts is a window: reported when the parts take longer (a range must hold the whole sum); a \"Total:\" line, a count or a size must equal the sum; \"50+\" must be reachable. Not read: parts that run in parallel, options and alternatives, \"each\"/\"per\", hedged figures (about, up to, within, max), subtotals, offsets (\"(1 hour before)\") and clock windows; when some parts state nothing, only a sum already over the total is reported.",
    },
    RuleInfo {
        code: "GN1303",
        name: "audit-ratio",
        summary: "`gonogo audit`: a percentage beside a fraction that it is not",
        explanation: "\"16+/18\" called 90%, \"12-16/18\" called 70-90%. The percentage is paired with the nearest fraction in the same table cell or clause, with no other figure between. Rounded or cut-off percentages agree (2/3 may be 66% or 67%); \"95%+\" beside 116/116 agrees. Bounds (\"<1%\"), \"24/7\" and dates are not read.",
    },
    RuleInfo {
        code: "GN1304",
        name: "audit-better",
        summary: "`gonogo audit`: \"N% better than target\" that the actual and target beside it do not give",
        explanation: "In a table with Target and Actual columns, or on a line \"240ms (target: <1000ms) - 76% better\": better = (target − actual) / target for a `<` target, (actual − target) / target for `>`. Units ms and s are converted; other units must match.",
    },
    RuleInfo {
        code: "GN1305",
        name: "audit-status",
        summary: "`gonogo audit`: a status that the document's own rules or pending approvals forbid",
        explanation: "A \"Status:\", \"Decision:\" or \"Assessment:\" of GO WITH CONDITIONS (or GO, READY) when the section that defines it requires all of a category complete (\"ALL critical items complete (25/25)\") and the document says fewer (\"10/25 critical\"); and READY, GO or APPROVED while the document lists approvals as awaited or pending (\"AWAITING FINAL APPROVALS\", an \"Awaiting:\" list of approvals not ticked).",
    },
    RuleInfo {
        code: "GN1306",
        name: "audit-signoff",
        summary: "`gonogo audit`: a sign-off marked APPROVED with a blank name or signature",
        explanation: "A block of \"Name:\", \"Signature:\" and \"Status:\" lines (one section, or until a key repeats) whose status is APPROVED while the name or signature is empty, underscores or a placeholder such as [NAME].",
    },
    RuleInfo {
        code: "GN1307",
        name: "audit-encoding",
        summary: "`gonogo audit`: text that is double-encoded, or not UTF-8 (warning)",
        explanation: "UTF-8 read as Windows-1252, Windows-1254 or Mac Roman and saved again shows \"ðŸŸ¢\" for 🟢 and \"âœ…\" for ✅. A run of characters counts only when encoding it back gives valid UTF-8, so ordinary accented text is never reported. `--fix-encoding` writes a repaired copy NAME.fixed.EXT beside the file. A file that is not UTF-8 at all is read as Windows-1252, with this warning.",
    },
    RuleInfo {
        code: "GN1308",
        name: "audit-approvals",
        summary: "`gonogo audit`: a statement that every approval is in while the document's table of approvals shows one that is not",
        explanation: "\"All 4 approvals obtained\", \"every sign-off received\", \"all approvers signed\" against the first table of approvals after it (else the last before it): a table with one status column (Status, Approval, Decision, Signed) and a column naming who approves (Role, Approver, Name, Team), at least one row approved. Reported when a row is PENDING, awaited, rejected, in review or blank, or when the count stated is not the table's count of approvals; rows marked N/A or optional are not counted. Not read: conditions, plans and requirements (\"once all approvals are obtained\", \"all sign-offs are required\", \"must be received\").",
    },
];

pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    CATALOGUE.iter().find(|r| r.code == code)
}

/// Prints diagnostics in the style of rustc, with the source line.
/// Where each line of each source starts, worked out once per file when the first
/// finding in it is printed.
#[derive(Default)]
pub struct LineStarts(
    std::collections::HashMap<usize, Vec<usize>>,
    /// The last column found: (file, line start, character column, its byte), so that
    /// findings along one long line are found from the last, not from its start.
    Option<(usize, usize, u64, usize)>,
);

impl LineStarts {
    fn of(&mut self, file: usize, text: &str) -> &[usize] {
        self.0.entry(file).or_insert_with(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        })
    }

    /// The byte of 1-based character column `col` on the line of `text` starting at
    /// `line_start` (at most the line's end).
    fn column(&mut self, file: usize, text: &str, line: (usize, usize), col: u64) -> usize {
        let (line_start, line_end) = line;
        let col = col.max(1);
        let (mut byte, mut at) = match self.1 {
            Some((f, l, c, b)) if f == file && l == line_start && c <= col => (b, c),
            _ => (line_start, 1),
        };
        for ch in text[byte..line_end].chars() {
            if at == col {
                break;
            }
            byte += ch.len_utf8();
            at += 1;
        }
        self.1 = Some((file, line_start, at, byte));
        // A column past the end of its line points at the line's start.
        if at < col { line_start } else { byte }
    }
}

/// The longest message, stated or computed value or note kept (a value quoted from a
/// 16 MiB file must not become a 16 MiB message).
const MAX_TEXT: usize = 1000;

fn bounded(mut s: String) -> String {
    if s.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        let more = s.len() - cut;
        s.truncate(cut);
        s.push_str(&format!("… ({more} more bytes)"));
    }
    s
}

/// A quoted line longer than this (in bytes) is quoted around its span only.
const LONG_LINE: usize = 400;

pub fn render_human(
    d: &Diagnostic,
    sources: &[SourceFile],
    color: bool,
    starts: &mut LineStarts,
) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut label = String::new();
    if let Some(c) = &d.claimed {
        label.push_str(&format!("stated: {c}"));
    }
    if let Some(c) = &d.computed {
        if !label.is_empty() {
            label.push_str("; ");
        }
        label.push_str(&format!("computed: {c}"));
    }
    let path = d
        .loc
        .and_then(|l| sources.get(l.file))
        .map(|s| s.path.display().to_string())
        .unwrap_or_default();
    let title = level.primary_title(d.message.as_str()).id(d.code);
    let mut elements: Vec<annotate_snippets::Element> = vec![];
    if let Some(loc) = d.loc.filter(|l| l.line == 0)
        && sources.get(loc.file).is_some()
    {
        elements.push(annotate_snippets::Origin::path(path.as_str()).into());
        if !label.is_empty() {
            elements.push(Level::NOTE.message(label.as_str()).into());
        }
    } else if let Some(loc) = d.loc
        && let Some(src) = sources.get(loc.file)
    {
        // Only the lines the span covers are handed to the renderer: quoting one
        // line must not cost the length of the file (thousands of findings in a
        // big file stay fast).
        let lines = starts.of(loc.file, &src.text);
        let k = loc.line.saturating_sub(1) as usize;
        let from = lines.get(k).copied().unwrap_or(src.text.len());
        // The line's end, before its `\n` (or `\r\n`'s `\n`).
        let to = lines.get(k + 1).map_or(src.text.len(), |n| n - 1).max(from);
        let start = starts.column(loc.file, &src.text, (from, to), loc.col);
        let span = span_of(&src.text, start, loc);
        let (from, to) = (from.min(span.start), to.max(span.end.min(src.text.len())));
        let first_line = loc.line.max(1) as usize;
        if to - from > LONG_LINE {
            // A long line is quoted around the span only (the renderer measures every
            // character of what it quotes: a thousand findings on one long line would
            // cost a thousand times its length), under the exact location.
            let at = |b: usize| src.text.floor_char_boundary(b.clamp(from, to));
            let (a, b) = (at(span.start.saturating_sub(60)), at(span.end + 60));
            elements.push(
                annotate_snippets::Origin::path(path.as_str())
                    .line(first_line)
                    .char_column(loc.col.max(1) as usize)
                    .into(),
            );
            elements.push(
                Snippet::source(format!(
                    "{}{}{}",
                    if a > from { "…" } else { "" },
                    &src.text[a..b],
                    if b < to { "…" } else { "" }
                ))
                .line_start(first_line)
                .annotation(
                    AnnotationKind::Primary
                        .span(
                            span.start - a + if a > from { "…".len() } else { 0 }
                                ..span.end.min(b) - a + if a > from { "…".len() } else { 0 },
                        )
                        .label(label.as_str()),
                )
                .into(),
            );
        } else {
            let span = span.start - from..span.end - from;
            elements.push(
                Snippet::source(&src.text[from..to])
                    .line_start(first_line)
                    .path(path.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Primary.span(span).label(label.as_str()))
                    .into(),
            );
        }
    } else if !label.is_empty() {
        elements.push(Level::NOTE.message(label.as_str()).into());
    }
    for n in &d.notes {
        elements.push(Level::NOTE.message(n.as_str()).into());
    }
    let report: &[Group] = &[title.elements(elements)];
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(report).to_string()
}

/// Byte range of a location in `text` starting at byte `from` (`loc.len` characters,
/// at most to the end of the line; one byte at least unless the line ends there).
fn span_of(text: &str, from: usize, loc: Loc) -> std::ops::Range<usize> {
    let rest = &text[from..];
    let len_bytes: usize = rest
        .chars()
        .take((loc.len.max(1)) as usize)
        .take_while(|c| *c != '\n')
        .map(char::len_utf8)
        .sum();
    from..from + len_bytes.max(usize::from(!rest.is_empty()))
}
