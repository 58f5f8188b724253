//! The deployment runbook: facts, decision, window, phases with a checkbox per
//! step, rollback, contacts, monitoring, and communication templates.

use super::layout::*;
use super::*;
use crate::facts::TimeLabel;
use crate::render::view::{NodeView, TriggerView};

const DOC: &str = "Deployment runbook";
/// Width of the column of times and durations beside a step.
const SIDE: f32 = 122.0;
/// Indent per level of nested steps.
const INDENT: f32 = 14.0;

pub fn render(v: &ReleaseView) -> Result<Vec<u8>> {
    let fonts = Fonts::new()?;
    let mut d = Doc::new(&fonts, v.paper);
    title_and_facts(&mut d, v, DOC, 4, false);
    decision(&mut d, v);
    if let Some(rb) = &v.runbook {
        window(&mut d, v, rb);
        if !rb.phases.is_empty() {
            heading(&mut d, "Phases");
            for (i, p) in rb.phases.iter().enumerate() {
                phase(&mut d, p, i + 1);
            }
        }
    }
    if let Some(rb) = &v.rollback {
        heading(&mut d, "Rollback");
        let mut facts = vec![];
        if let Some(t) = &rb.target {
            facts.push(("Roll back to", t.as_str(), Face::Mono));
        }
        if let Some(t) = &rb.time_limit {
            facts.push(("Time limit", t.as_str(), Face::Bold));
        }
        if !facts.is_empty() {
            let g = grid(&d, &facts, 4);
            d.add(vec![g]);
        }
        triggers(
            &mut d,
            "Automatic triggers — roll back immediately",
            &rb.automatic,
        );
        triggers(&mut d, "Manual triggers — assess and decide", &rb.manual);
        if !rb.steps.is_empty() {
            subheading(&mut d, "Rollback steps");
            steps(&mut d, &rb.steps, "", 0, true);
        }
    }
    if let Some(ct) = &v.contacts {
        let b = st(Face::Bold, 8.5, INK);
        let s = st(Face::Sans, 8.5, INK);
        let m = st(Face::Mono, 8.0, INK);
        if !ct.escalation.is_empty() {
            heading(&mut d, "Escalation");
            let rows = ct
                .escalation
                .iter()
                .map(|e| {
                    vec![
                        (b, e.area.clone()),
                        (s, e.primary.clone()),
                        (s, e.backup.clone().unwrap_or_else(|| "—".into())),
                    ]
                })
                .collect();
            table(
                &mut d,
                &[("Area", 0.3), ("Primary", 0.35), ("Backup", 0.35)],
                rows,
            );
        }
        if !ct.people.is_empty() {
            heading(&mut d, "People");
            let rows = ct
                .people
                .iter()
                .map(|p| {
                    vec![
                        (b, p.role.clone()),
                        (s, p.name.clone().unwrap_or_else(|| "—".into())),
                        (s, p.contact.clone().unwrap_or_default()),
                        (s, p.duty.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            table(
                &mut d,
                &[
                    ("Role", 0.24),
                    ("Name", 0.24),
                    ("Contact", 0.22),
                    ("Duty", 0.30),
                ],
                rows,
            );
        }
        if !ct.channels.is_empty() {
            heading(&mut d, "Channels");
            let rows = ct
                .channels
                .iter()
                .map(|c| vec![(b, c.name.clone()), (m, c.address.clone())])
                .collect();
            table(&mut d, &[("Channel", 0.3), ("Address", 0.7)], rows);
        }
    }
    if let Some(mo) = &v.monitoring {
        heading(&mut d, "Monitoring");
        let b = st(Face::Bold, 8.5, INK);
        let s = st(Face::Sans, 8.5, INK);
        if !mo.cadence.is_empty() {
            subheading(&mut d, "Cadence");
            let rows = mo
                .cadence
                .iter()
                .map(|c| {
                    vec![
                        (b, c.every.clone()),
                        (s, c.check.clone()),
                        (s, c.during.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            table(
                &mut d,
                &[("Every", 0.14), ("Check", 0.56), ("During", 0.30)],
                rows,
            );
        }
        if !mo.thresholds.is_empty() {
            subheading(&mut d, "Thresholds");
            let rows = mo
                .thresholds
                .iter()
                .map(|t| {
                    vec![
                        (b, t.metric.clone()),
                        (s, t.target.clone().unwrap_or_else(|| "—".into())),
                        (b, t.alert.clone()),
                        (s, t.action.clone().unwrap_or_default()),
                    ]
                })
                .collect();
            table(
                &mut d,
                &[
                    ("Metric", 0.26),
                    ("Target", 0.24),
                    ("Alert at", 0.24),
                    ("Action", 0.26),
                ],
                rows,
            );
        }
        if !mo.plan.is_empty() {
            subheading(&mut d, "Plan");
            for (i, x) in mo.plan.iter().enumerate() {
                let mut r = para_block(&d, d.left() + 16.0, d.width() - 16.0, &[(s, x)], 8.5);
                r.text(d.left(), base(8.5), s, format!("{}.", i + 1));
                r.h += 2.0;
                d.add(vec![r]);
            }
        }
    }
    if !v.communications.is_empty() {
        heading(&mut d, "Communication templates");
        for c in &v.communications {
            d.space(6.0);
            let mut rows = vec![];
            let mut head: Vec<(Style, &str)> = vec![(st(Face::Bold, 9.5, INK), &c.kind)];
            let to;
            if let Some(ch) = &c.channel {
                to = format!("to {ch}");
                head.push((st(Face::Sans, 8.5, MUTED), &to));
            }
            rows.extend(para(&d, d.left(), d.width(), &head, 9.5));
            if let Some(s) = &c.subject {
                rows.extend(para(
                    &d,
                    d.left(),
                    d.width(),
                    &[
                        (st(Face::Bold, 8.5, INK), "Subject:"),
                        (st(Face::Sans, 8.5, INK), s),
                    ],
                    8.5,
                ));
            }
            rows.push(Row::new(2.0));
            rows.extend(mono_box(&d, d.left(), d.width(), &c.body));
            d.add(rows);
        }
    }
    if v.runbook.is_none()
        && v.rollback.is_none()
        && v.contacts.is_none()
        && v.monitoring.is_none()
        && v.communications.is_empty()
    {
        d.space(12.0);
        let s = st(Face::Sans, 10.0, MUTED);
        let rows = para(
            &d,
            d.left(),
            d.width(),
            &[(s, "No runbook is recorded for this release.")],
            10.0,
        );
        d.add(rows);
    }
    d.finish(&page_info(v, DOC))
}

/// The window, its local and UTC times, and the planned duration.
fn window(d: &mut Doc, v: &ReleaseView, rb: &crate::render::view::RunbookView) {
    let mut cells: Vec<(String, String, Option<String>)> = vec![];
    if let Some((ws, we)) = &rb.window {
        let val = if !ws.offset.is_empty() || !we.offset.is_empty() {
            format!("{} → {}", ws.offset, we.offset)
        } else {
            format!("{} → {}", ws.local, we.local)
        };
        cells.push(("Window".into(), val, None));
        let or_q = |s: &str| {
            if s.is_empty() {
                "?".to_string()
            } else {
                s.to_string()
            }
        };
        if !ws.local.is_empty() || !we.local.is_empty() {
            cells.push((
                format!("Local ({})", v.timezone),
                format!("{} – {}", or_q(&ws.local), or_q(&we.local)),
                v.deploy.scheduled.then(|| v.deploy.long_date.clone()),
            ));
        }
        if !ws.utc.is_empty() || !we.utc.is_empty() {
            cells.push((
                "UTC".into(),
                format!("{} – {}", or_q(&ws.utc), or_q(&we.utc)),
                None,
            ));
        }
    }
    if let Some(du) = &rb.duration {
        let n = rb.phases.len();
        cells.push((
            "Planned duration".into(),
            du.clone(),
            (n > 0).then(|| format!("{n} phase{}", if n == 1 { "" } else { "s" })),
        ));
    }
    if cells.is_empty() {
        return;
    }
    let (x0, w) = (d.left(), d.width());
    let gap = 8.0;
    let n = cells.len().max(3) as f32;
    let cw = (w - gap * (n - 1.0)) / n;
    let pad = 6.0;
    let mut boxes = vec![];
    for (label, val, sub) in &cells {
        let mut r = Row::new(pad);
        r.text(
            pad,
            pad + base(7.0),
            st(Face::Sans, 7.0, MUTED),
            label.to_uppercase(),
        );
        r.h += lead(7.0);
        let vb = para_block(
            d,
            pad,
            cw - 2.0 * pad,
            &[(st(Face::Bold, 10.0, INK), val)],
            10.0,
        );
        let y = r.h;
        r.h += vb.h;
        r.merge(vb, 0.0, y);
        if let Some(s) = sub {
            let sb = para_block(
                d,
                pad,
                cw - 2.0 * pad,
                &[(st(Face::Sans, 8.0, MUTED), s)],
                8.0,
            );
            let y = r.h;
            r.h += sb.h;
            r.merge(sb, 0.0, y);
        }
        r.h += pad;
        boxes.push(r);
    }
    let h = boxes.iter().map(|b| b.h).fold(0.0, f32::max);
    let mut row = Row::new(h);
    for (i, b) in boxes.into_iter().enumerate() {
        let x = x0 + i as f32 * (cw + gap);
        row.rect(x, 0.0, cw, h, None, Some((0.8, INK)));
        row.merge(b, x, 0.0);
    }
    d.space(10.0);
    d.add(vec![row]);
}

/// "a – b", "from a", "until b".
fn range(a: &str, b: &str) -> Option<String> {
    match (a.is_empty(), b.is_empty()) {
        (false, false) if a == b => Some(a.to_string()),
        (false, false) => Some(format!("{a} – {b}")),
        (false, true) => Some(format!("from {a}")),
        (true, false) => Some(format!("until {b}")),
        (true, true) => None,
    }
}

/// When a node happens (offset, local, UTC lines) and its quantities.
fn when(n: &NodeView, limit: bool) -> Vec<(Style, String)> {
    let strong = st(Face::Bold, 7.5, INK);
    let plain = st(Face::Sans, 7.5, INK);
    let muted = st(Face::Sans, 7.5, MUTED);
    let mut out = vec![];
    let empty = TimeLabel {
        offset: String::new(),
        local: String::new(),
        utc: String::new(),
    };
    if let Some(at) =
        n.at.as_ref()
            .filter(|a| !(a.offset.is_empty() && a.local.is_empty() && a.utc.is_empty()))
    {
        if !at.offset.is_empty() {
            out.push((strong, format!("at {}", at.offset)));
        }
        if !at.local.is_empty() {
            out.push((plain, at.local.clone()));
        }
        if !at.utc.is_empty() && at.utc != at.local {
            out.push((muted, at.utc.clone()));
        }
    } else if n.start.is_some() || n.end.is_some() {
        let s = n.start.as_ref().unwrap_or(&empty);
        let e = n.end.as_ref().unwrap_or(&empty);
        out.extend(range(&s.offset, &e.offset).map(|t| (strong, t)));
        out.extend(range(&s.local, &e.local).map(|t| (plain, t)));
        if !(s.utc == s.local && e.utc == e.local) {
            out.extend(range(&s.utc, &e.utc).map(|t| (muted, t)));
        }
    }
    if let Some(du) = &n.duration {
        out.push((
            strong,
            if limit {
                format!("≤ {du}")
            } else {
                du.clone()
            },
        ));
    }
    if let Some(c) = &n.checks {
        out.push((plain, format!("{c} checks")));
    }
    if let Some(c) = &n.lines {
        out.push((plain, format!("{c} lines")));
    }
    if let Some(c) = &n.size {
        out.push((plain, c.clone()));
    }
    out
}

/// Right-aligned lines in the side column ending at `right`.
fn side(d: &Doc, right: f32, lines: &[(Style, String)]) -> Row {
    let mut r = Row::new(0.0);
    for (s, t) in lines {
        for l in d.f.wrap(*s, t, SIDE) {
            let w = d.f.width(*s, &l);
            r.text(right - w, r.h + base(s.size), *s, l);
            r.h += lead(s.size);
        }
    }
    r
}

/// Tags after a title: checkpoint, parallel, priority.
fn tags(n: &NodeView) -> Vec<(Style, String)> {
    let mut out = vec![];
    if n.checkpoint {
        out.push((st(Face::Bold, 7.5, INK), "◆ CHECKPOINT".to_string()));
    }
    if n.parallel {
        out.push((st(Face::Bold, 7.5, MUTED), "PARALLEL".to_string()));
    }
    if let Some(p) = n.priority {
        out.push((st(Face::Sans, 7.5, MUTED), p.to_uppercase()));
    }
    out
}

/// Owner, command, expected result and note of a node, from `x` to the right edge.
fn details(d: &Doc, n: &NodeView, x: f32) -> Vec<Row> {
    let w = d.left() + d.width() - x;
    let lbl = st(Face::Bold, 8.5, INK);
    let txt = st(Face::Sans, 8.5, INK);
    let mut rows = vec![];
    if let Some(o) = &n.owner {
        rows.extend(para(d, x, w, &[(lbl, "Owner:"), (txt, o)], 8.5));
    }
    if let Some(c) = &n.command {
        rows.push(Row::new(2.0));
        rows.extend(mono_box(d, x, w, c));
        rows.push(Row::new(2.0));
    }
    if let Some(e) = &n.expected {
        rows.extend(para(d, x, w, &[(lbl, "Expected:"), (txt, e)], 8.5));
    }
    if let Some(note) = &n.note {
        rows.extend(para(d, x, w, &[(st(Face::Sans, 8.5, MUTED), note)], 8.5));
    }
    rows
}

/// Monospaced text on a tinted ground, one row per line (it may be split
/// between pages); wrapped lines are marked in the margin.
fn mono_box(d: &Doc, x: f32, w: f32, text: &str) -> Vec<Row> {
    let s = st(Face::Mono, 8.0, INK);
    let pad = 6.0;
    let mut rows = vec![];
    let band = |h: f32| {
        let mut r = Row::new(h);
        r.rect(x, 0.0, w, h, Some(TINT), None);
        r.line(x + 0.6, 0.0, x + 0.6, h, 1.2, INK);
        r
    };
    rows.push(band(3.5));
    let text = text.trim_end();
    for src in text.split('\n') {
        for (i, l) in
            d.f.wrap(s, src, w - 2.0 * pad - 4.0)
                .into_iter()
                .enumerate()
        {
            let mut r = band(lead(8.0));
            if i > 0 {
                r.text(x + 2.5, base(8.0), st(Face::Mono, 6.0, MUTED), "↪");
            }
            r.text(x + pad, base(8.0), s, l);
            rows.push(r);
        }
    }
    rows.push(band(3.5));
    rows
}

fn phase(d: &mut Doc, p: &NodeView, num: usize) {
    let (x0, w) = (d.left(), d.width());
    let pad = 5.0;
    let ts = st(Face::Bold, 11.0, INK);
    let numtxt = format!("{num}.");
    // A title that carries its own number ("Phase 1: …") gets no second one.
    let mut runs: Vec<(Style, &str)> = if p.numbered {
        vec![(ts, &p.title)]
    } else {
        vec![(ts, &numtxt), (ts, &p.title)]
    };
    let tg = tags(p);
    runs.extend(tg.iter().map(|(s, t)| (*s, t.as_str())));
    let owner;
    if let Some(o) = &p.owner {
        owner = format!("Owner: {o}");
        runs.push((st(Face::Sans, 8.5, MUTED), &owner));
    }
    let title = para_block(d, x0 + pad, w - SIDE - 3.0 * pad, &runs, 11.0);
    let sd = side(d, x0 + w - pad, &when(p, false));
    let h = title.h.max(sd.h) + 2.0 * pad;
    let mut head = Row::new(h);
    head.rect(x0, 0.0, w, h, Some(TINT), None);
    head.line(
        x0,
        0.0,
        x0 + w,
        0.0,
        if p.checkpoint { 2.0 } else { 1.0 },
        INK,
    );
    head.merge(title, 0.0, pad);
    head.merge(sd, 0.0, pad);
    let mut rows = vec![Row::gap(10.0), head, Row::new(4.0)];
    rows.extend(details(d, p, x0 + pad));
    if p.items.is_empty() {
        d.add(rows);
    } else {
        d.keep(rows);
        steps(d, &p.items, &format!("{num}."), 0, false);
    }
}

fn steps(d: &mut Doc, items: &[NodeView], prefix: &str, depth: usize, limit: bool) {
    for (i, n) in items.iter().enumerate() {
        let num = format!("{prefix}{}", i + 1);
        step(d, n, &num, depth, limit);
        if !n.items.is_empty() {
            steps(d, &n.items, &format!("{num}."), depth + 1, limit);
        }
    }
}

fn step(d: &mut Doc, n: &NodeView, num: &str, depth: usize, limit: bool) {
    let x = d.left() + 4.0 + depth.min(6) as f32 * INDENT;
    let right = d.left() + d.width();
    let size = 9.5;
    let ns = st(Face::Bold, 7.5, MUTED);
    let nw = d.f.width(ns, "0.00").max(d.f.width(ns, num));
    let tx = x + 14.0 + nw + 4.0;
    let ts = st(
        if n.items.is_empty() {
            Face::Sans
        } else {
            Face::Bold
        },
        size,
        INK,
    );
    let mut runs: Vec<(Style, &str)> = vec![(ts, &n.title)];
    let tg = tags(n);
    runs.extend(tg.iter().map(|(s, t)| (*s, t.as_str())));
    let title = para_block(d, tx, right - SIDE - 8.0 - tx, &runs, size);
    let sd = side(d, right, &when(n, limit));
    let h = title.h.max(sd.h).max(12.0);
    let mut head = Row::new(h);
    // The checkbox, with a tick when done.
    let bs = 8.0;
    let by = base(size) - bs + 0.5;
    head.rect(x, by, bs, bs, None, Some((0.9, INK)));
    if n.done == Some(true) {
        head.line(x + 1.6, by + 4.2, x + 3.4, by + 6.2, 1.2, INK);
        head.line(x + 3.4, by + 6.2, x + 6.6, by + 1.6, 1.2, INK);
    }
    head.text(x + 14.0, base(size), ns, num);
    head.merge(title, 0.0, 0.0);
    head.merge(sd, 0.0, 0.0);
    let mut rows = vec![Row::gap(3.0), head];
    rows.extend(details(d, n, tx));
    if n.items.is_empty() {
        d.add(rows);
    } else {
        // A group stays with its first step.
        d.keep(rows);
    }
}

/// A table with a tinted header row; the first column is the row's heading.
fn table(d: &mut Doc, cols: &[(&str, f32)], rows: Vec<Vec<(Style, String)>>) {
    let (x0, w) = (d.left(), d.width());
    let pad = 4.0;
    let xs: Vec<(f32, f32)> = {
        let mut x = x0;
        cols.iter()
            .map(|(_, f)| {
                let cw = w * f;
                let r = (x, cw);
                x += cw;
                r
            })
            .collect()
    };
    let hs = st(Face::Bold, 7.5, INK);
    let mut head = Row::new(lead(7.5) + 2.0 * pad - 2.0);
    head.rect(x0, 0.0, w, head.h, Some(TINT), None);
    for ((label, _), (x, _)) in cols.iter().zip(&xs) {
        head.text(x + pad, pad - 1.0 + base(7.5), hs, label.to_uppercase());
    }
    head.line(x0, head.h, x0 + w, head.h, 0.8, INK);
    d.keep(vec![Row::gap(4.0), head]);
    for cells in rows {
        let blocks: Vec<Row> = cells
            .iter()
            .zip(&xs)
            .map(|((s, t), (x, cw))| para_block(d, x + pad, cw - 2.0 * pad, &[(*s, t)], 8.5))
            .collect();
        let h = blocks.iter().map(|b| b.h).fold(0.0, f32::max) + 2.0 * pad - 2.0;
        let mut r = Row::new(h);
        for b in blocks {
            r.merge(b, 0.0, pad - 1.0);
        }
        r.line(x0, h, x0 + w, h, 0.5, RULE);
        d.add(vec![r]);
    }
}

fn triggers(d: &mut Doc, title: &str, t: &[TriggerView]) {
    if t.is_empty() {
        return;
    }
    subheading(d, title);
    let b = st(Face::Bold, 8.5, INK);
    let s = st(Face::Sans, 8.5, INK);
    let rows = t
        .iter()
        .map(|x| {
            vec![
                (b, x.condition.clone()),
                (b, x.threshold.clone().unwrap_or_else(|| "—".into())),
                (s, x.action.clone().unwrap_or_default()),
            ]
        })
        .collect();
    table(
        d,
        &[("Condition", 0.4), ("Threshold", 0.3), ("Action", 0.3)],
        rows,
    );
}
