//! A product's history across its releases: readiness, pass rate, test count and
//! metrics met of each release up to this one (the last [`POINTS`]), for the report's
//! "History" section and the index's sparkline per product. Drawn as inline SVG (no
//! script), told apart in black and white by line style and marker, and given to
//! screen readers as a table (the chart itself is one image with a summary).

use crate::facts::{
    Count, decide, metric_actual, metric_result, pass_count, policy_of, rate_text, standing,
    test_totals,
};
use crate::load::Project;
use serde::Serialize;

/// Releases shown: this one and up to nine before it.
pub const POINTS: usize = 10;

#[derive(Clone, Serialize)]
pub struct HistoryPoint {
    pub id: String,
    /// The version, or the id for a release without one.
    pub label: String,
    pub decision: &'static str,
    pub readiness: String,
    pub tests_run: Option<u64>,
    pub pass_rate: Option<String>,
    /// Metrics met, of those counted toward the decision: "5/6".
    pub metrics: Option<String>,
    /// This release (the last point).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub current: bool,
}

/// One metric of this release across the same releases: each one's value (in this
/// release's target unit) and whether it met that release's own target.
#[derive(Clone, Serialize)]
pub struct MetricHistory {
    pub name: String,
    pub target: String,
    /// Per point: none where the release has no metric of that name.
    pub values: Vec<Option<MetricPoint>>,
}

#[derive(Clone, Serialize)]
pub struct MetricPoint {
    pub value: Option<String>,
    /// "met", "missed" or "not measured".
    pub status: &'static str,
}

#[derive(Clone, Serialize)]
pub struct HistoryView {
    pub points: Vec<HistoryPoint>,
    /// This release's metrics (those counted toward the decision) across the points.
    pub metrics: Vec<MetricHistory>,
    /// The chart, as SVG markup (every text in it escaped).
    pub chart: String,
    /// The same, small, for the index.
    pub spark: String,
}

/// The history of release `i`'s product up to it, by the chain of previous releases;
/// none for a release without a previous one.
pub fn history(p: &Project, i: usize, prev: &[Option<usize>]) -> Option<HistoryView> {
    let mut chain = vec![i];
    while chain.len() < POINTS {
        match prev[*chain.last().expect("not empty")] {
            // A chain never loops (each previous release is older), but the guard
            // costs nothing.
            Some(j) if !chain.contains(&j) => chain.push(j),
            _ => break,
        }
    }
    if chain.len() < 2 {
        return None;
    }
    chain.reverse();
    let fallback = crate::facts::default_policy();
    let site_policy = p.site.as_ref().and_then(|s| s.v.policy.as_ref());
    let mut points = vec![];
    let mut series: [Vec<Option<f64>>; 2] = [vec![], vec![]];
    for &k in &chain {
        let r = &p.releases[k];
        let s = standing(r);
        let d = decide(policy_of(r, site_policy, &fallback), &s);
        let ready = s.tallies.all();
        let passed: Count = pass_count(&test_totals(r));
        let mut met = Count::default();
        for (j, m) in r.metrics.iter().flat_map(|m| m.v.iter()).enumerate() {
            if m.after_deployment {
                continue;
            }
            met.total += 1;
            if metric_result(m, metric_actual(r, j)).met == Some(true) {
                met.done += 1;
            }
        }
        series[0].push(ready.pct());
        series[1].push(passed.pct());
        points.push(HistoryPoint {
            id: r.id.clone(),
            label: r.info.v.version.clone().unwrap_or_else(|| r.id.clone()),
            decision: d.value.label(),
            readiness: rate_text(ready),
            tests_run: (passed.total > 0).then_some(passed.total),
            pass_rate: (passed.total > 0).then(|| rate_text(passed)),
            metrics: (met.total > 0).then(|| format!("{}/{}", met.done, met.total)),
            current: k == i,
        });
    }
    let metrics = metric_history(p, i, &chain);
    let summary = |name: &str, texts: Vec<Option<&String>>| -> String {
        let t: Vec<String> = points
            .iter()
            .zip(texts)
            .map(|(p, t)| format!("{} {}", p.label, t.map_or("—", String::as_str)))
            .collect();
        format!("{name}: {}", t.join(", "))
    };
    let label = format!(
        "{}. {}.",
        summary(
            "Readiness",
            points.iter().map(|p| Some(&p.readiness)).collect()
        ),
        summary(
            "Pass rate",
            points.iter().map(|p| p.pass_rate.as_ref()).collect()
        )
    );
    Some(HistoryView {
        chart: svg(&series, 320.0, 80.0, &label, true),
        spark: svg(&series, 96.0, 24.0, &label, false),
        points,
        metrics,
    })
}

fn metric_history(p: &Project, i: usize, chain: &[usize]) -> Vec<MetricHistory> {
    let r = &p.releases[i];
    let mut out = vec![];
    for m in r.metrics.iter().flat_map(|m| m.v.iter()) {
        if m.after_deployment {
            continue;
        }
        let t = &m.target.value;
        let values = chain
            .iter()
            .map(|&k| {
                let rk = &p.releases[k];
                let (j, mk) = rk
                    .metrics
                    .iter()
                    .flat_map(|x| x.v.iter())
                    .enumerate()
                    .find(|(_, x)| x.name.value == m.name.value && !x.after_deployment)?;
                let actual = metric_actual(rk, j);
                Some(MetricPoint {
                    // In this release's target unit where it measures the same.
                    value: actual.map(|x| {
                        if x.dim == t.value.dim && x.unit != t.value.unit && !x.is_range() {
                            super::view::in_unit(x.lo, &[x.step], &t.value)
                        } else {
                            x.to_string()
                        }
                    }),
                    status: match metric_result(mk, actual).met {
                        Some(true) => "met",
                        Some(false) => "missed",
                        None => "not measured",
                    },
                })
            })
            .collect();
        out.push(MetricHistory {
            name: m.name.value.clone(),
            target: t.to_string(),
            values,
        });
    }
    out
}

/// Two series of percentages (readiness solid with round markers, pass rate dashed
/// with square ones) over evenly spaced releases; a gap where a value is missing.
fn svg(series: &[Vec<Option<f64>>; 2], w: f64, h: f64, label: &str, markers: bool) -> String {
    let pad = if markers { 6.0 } else { 2.5 };
    // The chart (with markers) names its scale on the left: 100% and 0%.
    let left = if markers { 34.0 } else { pad };
    let n = series[0].len().max(2);
    let x = |k: usize| left + (w - left - pad) * k as f64 / (n - 1) as f64;
    let y = |v: f64| pad + (h - 2.0 * pad) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    let mut out = format!(
        "<svg class=\"trend\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
        escape(label)
    );
    // The 0 % and 100 % lines.
    for v in [0.0, 100.0] {
        out.push_str(&format!(
            "<line x1=\"{left}\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\" class=\"trend-axis\"/>",
            y = y(v)
        ));
        if markers {
            out.push_str(&format!(
                "<text x=\"0\" y=\"{:.1}\" class=\"trend-scale\" aria-hidden=\"true\">{v}%</text>",
                y(v) + 3.5
            ));
        }
    }
    for (s, values) in series.iter().enumerate() {
        let mut runs: Vec<Vec<(f64, f64)>> = vec![vec![]];
        for (k, v) in values.iter().enumerate() {
            match v {
                Some(v) => runs.last_mut().expect("a run").push((x(k), y(*v))),
                None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(vec![]),
                None => {}
            }
        }
        let class = ["trend-ready", "trend-pass"][s];
        for run in runs.iter().filter(|r| !r.is_empty()) {
            let pts: Vec<String> = run.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect();
            out.push_str(&format!(
                "<polyline class=\"{class}\" points=\"{}\"/>",
                pts.join(" ")
            ));
            if markers {
                for (a, b) in run {
                    out.push_str(&match s {
                        0 => format!("<circle class=\"{class}\" cx=\"{a:.1}\" cy=\"{b:.1}\" r=\"2.8\"/>"),
                        _ => format!(
                            "<rect class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"5\"/>",
                            a - 2.5,
                            b - 2.5
                        ),
                    });
                }
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities: text safe in an element or an attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn labels_are_escaped_and_gaps_break_the_line() {
        let s = super::svg(
            &[
                vec![Some(10.0), None, Some(90.0)],
                vec![Some(50.0), Some(60.0), Some(70.0)],
            ],
            100.0,
            40.0,
            "<script>\"x\"&",
            true,
        );
        assert!(
            s.contains("aria-label=\"&lt;script&gt;&quot;x&quot;&amp;\""),
            "{s}"
        );
        assert!(!s.contains("<script"), "{s}");
        // Readiness is missing at the second release: two runs of one point each.
        assert_eq!(
            s.matches("<polyline class=\"trend-ready\"").count(),
            2,
            "{s}"
        );
        assert_eq!(
            s.matches("<polyline class=\"trend-pass\"").count(),
            1,
            "{s}"
        );
        assert_eq!(s.matches("<circle").count(), 2);
        assert_eq!(s.matches("<rect").count(), 3);
    }
}
