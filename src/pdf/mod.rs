//! Printable PDF documents of a release, written by gonogo itself (no browser):
//! the approval & sign-off sheet and the deployment runbook. They mirror the
//! content and order of `approval.html` and `runbook.html`.
//!
//! Text is set in embedded DejaVu fonts, with the machine's fonts for what DejaVu
//! lacks ([`fonts`]), shaped with HarfRust and subset by krilla, so names in any
//! script a font has print and stay extractable. Output is deterministic: the same
//! view and the same installed fonts give the same bytes (a creation date is
//! written only from `SOURCE_DATE_EPOCH`).

mod fonts;
mod layout;
mod runbook;
mod signoff;

use crate::render::view::ReleaseView;
use anyhow::Result;
use layout::*;

/// The approval & sign-off sheet.
pub fn signoff(v: &ReleaseView) -> Result<Vec<u8>> {
    signoff::render(v)
}

/// The deployment runbook.
pub fn runbook(v: &ReleaseView) -> Result<Vec<u8>> {
    runbook::render(v)
}

/// "Product 1.2".
fn product_version(v: &ReleaseView) -> String {
    match &v.version {
        Some(ver) => format!("{} {}", v.product, ver),
        None => v.product.clone(),
    }
}

fn page_info(v: &ReleaseView, doc: &str) -> PageInfo {
    PageInfo {
        id: v.id.clone(),
        fingerprint: v.fingerprint.clone(),
        header_left: product_version(v),
        doc: doc.to_string(),
        title: format!("{} — {}", product_version(v), doc),
    }
}

/// Rows of one wrapped paragraph of runs, one row per line.
fn para(d: &Doc, x: f32, width: f32, runs: &[(Style, &str)], size: f32) -> Vec<Row> {
    d.f.wrap_runs(runs, width)
        .into_iter()
        .map(|line| {
            let mut r = Row::new(lead(size));
            for (lx, s, t) in line {
                r.text(x + lx, base(size), s, t);
            }
            r
        })
        .collect()
}

/// One row holding a whole wrapped paragraph (never split).
fn para_block(d: &Doc, x: f32, width: f32, runs: &[(Style, &str)], size: f32) -> Row {
    stack(para(d, x, width, runs, size))
}

/// Rows stacked into one.
fn stack(rows: Vec<Row>) -> Row {
    let mut out = Row::new(0.0);
    for r in rows {
        let h = r.h;
        let y = out.h;
        out.merge(r, 0.0, y);
        out.h += h;
    }
    out
}

/// A section heading (kept with what follows).
fn heading(d: &mut Doc, text: &str) {
    d.space(10.0);
    let s = st(Face::Bold, 12.5, INK);
    let mut r = Row::new(lead(12.5) + 5.0);
    r.text(d.left(), base(12.5), s, text);
    r.line(
        d.left(),
        lead(12.5) + 1.5,
        d.left() + d.width(),
        lead(12.5) + 1.5,
        1.0,
        INK,
    );
    d.keep(vec![r]);
}

fn subheading(d: &mut Doc, text: &str) {
    d.space(7.0);
    let s = st(Face::Bold, 10.0, INK);
    let rows = para(d, d.left(), d.width(), &[(s, text)], 10.0);
    d.keep(rows);
    d.space(2.0);
}

/// Title, product, subtitle, and the release facts.
fn title_and_facts(d: &mut Doc, v: &ReleaseView, title: &str, cols: usize, compact: bool) {
    let (x, w) = (d.left(), d.width());
    let mut rows = vec![];
    let (tsz, psz) = if compact { (16.0, 11.5) } else { (20.0, 13.0) };
    let ts = st(Face::Bold, tsz, INK);
    rows.extend(para(d, x, w, &[(ts, title)], tsz));
    let ps = st(Face::Bold, psz, INK);
    let pv = product_version(v);
    rows.extend(para(d, x, w, &[(ps, &pv)], psz));
    if let Some(t) = &v.title {
        rows.extend(para(d, x, w, &[(st(Face::Sans, 10.0, MUTED), t)], 10.0));
    }
    rows.push(Row::gap(if compact { 4.0 } else { 6.0 }));
    d.add(rows);

    let mut facts: Vec<(&str, String, Face)> = vec![("Product", v.product.clone(), Face::Sans)];
    if let Some(x) = &v.version {
        facts.push(("Version", x.clone(), Face::Sans));
    }
    if let Some(x) = &v.environment {
        facts.push(("Environment", x.clone(), Face::Sans));
    }
    facts.push(("Deployment", v.deploy.long_date.clone(), Face::Sans));
    if v.deploy.local.is_some() || v.deploy.utc.is_some() {
        let local = v.deploy.local.clone().unwrap_or_default();
        let t = match &v.deploy.utc {
            Some(u) if *u != local && !local.is_empty() => format!("{local} · {u}"),
            Some(u) if local.is_empty() => u.clone(),
            _ => local,
        };
        facts.push(("Time", t, Face::Sans));
    }
    if let Some(x) = &v.owner {
        facts.push(("Owner", x.clone(), Face::Sans));
    }
    if let Some(x) = &v.commit {
        facts.push(("Commit", x.clone(), Face::Mono));
    }
    if let Some(x) = &v.rollback_target {
        facts.push(("Rollback target", x.clone(), Face::Mono));
    }
    if let Some(x) = &v.last_updated {
        facts.push(("Last updated", x.clone(), Face::Sans));
    }
    let fields: Vec<(&str, &str, Face)> =
        facts.iter().map(|(l, v, f)| (*l, v.as_str(), *f)).collect();
    d.add(vec![grid(d, &fields, cols)]);
}

/// Label-over-value cells in `cols` columns, framed by thin rules.
fn grid(d: &Doc, fields: &[(&str, &str, Face)], cols: usize) -> Row {
    let (x0, w) = (d.left(), d.width());
    let gap = 10.0;
    let cw = (w - gap * (cols as f32 - 1.0)) / cols as f32;
    let ls = st(Face::Sans, 7.0, MUTED);
    let mut out = Row::new(0.0);
    out.line(x0, 0.0, x0 + w, 0.0, 0.6, RULE);
    out.h = 4.0;
    for chunk in fields.chunks(cols) {
        let mut row = Row::new(0.0);
        let mut h: f32 = 0.0;
        for (i, (label, value, face)) in chunk.iter().enumerate() {
            let x = x0 + i as f32 * (cw + gap);
            let mut cell = Row::new(0.0);
            cell.text(x, base(7.0), ls, label.to_uppercase());
            let vs = st(*face, if *face == Face::Mono { 9.0 } else { 9.5 }, INK);
            let body = para_block(d, x, cw, &[(vs, value)], 9.5);
            let bh = body.h;
            cell.merge(body, 0.0, lead(7.0));
            h = h.max(lead(7.0) + bh);
            row.merge(cell, 0.0, 0.0);
        }
        let y = out.h;
        out.merge(row, 0.0, y);
        out.h += h + 4.0;
    }
    let y = out.h;
    out.line(x0, y, x0 + w, y, 0.6, RULE);
    out.h += 2.0;
    out
}

/// The decision in a bordered box, with its reasons and the conditions.
fn decision(d: &mut Doc, v: &ReleaseView) {
    let (x0, w) = (d.left(), d.width());
    let pad = 9.0;
    let left_w = 150.0;
    let dec = &v.decision;
    let mut left = Row::new(0.0);
    left.text(
        x0 + pad,
        pad + base(7.5),
        st(Face::Bold, 7.5, MUTED),
        "DECISION",
    );
    let big = if dec.label.len() > 6 { 15.0 } else { 22.0 };
    let lab = para_block(
        d,
        x0 + pad,
        left_w - 2.0 * pad,
        &[(st(Face::Bold, big, INK), dec.label)],
        big,
    );
    let lh = pad + lead(7.5) + lab.h + pad;
    left.merge(lab, 0.0, pad + lead(7.5));
    left.h = lh;

    let rx = x0 + left_w + pad;
    let rw = w - left_w - 2.0 * pad;
    let mut right: Vec<Row> = vec![Row::new(pad)];
    let small = st(Face::Sans, 9.0, INK);
    let lbl = st(Face::Bold, 7.5, MUTED);
    if !dec.reasons.is_empty() {
        let title = if dec.class == "nogo" {
            "BLOCKING"
        } else {
            "NOT YET MET FOR GO"
        };
        right.push(para_block(d, rx, rw, &[(lbl, title)], 7.5));
        for r in &dec.reasons {
            let mut b = para_block(d, rx + 10.0, rw - 10.0, &[(small, r)], 9.0);
            b.text(rx + 1.0, base(9.0), small, "•");
            right.push(b);
        }
    } else if dec.class == "go" {
        right.push(para_block(
            d,
            rx,
            rw,
            &[(small, "All criteria for GO are met.")],
            9.0,
        ));
    }
    if !v.conditions.is_empty() {
        if right.len() > 1 {
            right.push(Row::new(4.0));
        }
        right.push(para_block(d, rx, rw, &[(lbl, "CONDITIONS")], 7.5));
        for (i, c) in v.conditions.iter().enumerate() {
            let mut b = para_block(d, rx + 14.0, rw - 14.0, &[(small, c)], 9.0);
            b.text(rx, base(9.0), small, format!("{}.", i + 1));
            right.push(b);
        }
    }
    right.push(Row::new(pad));
    let right = stack(right);
    let h = left.h.max(right.h);
    let mut row = Row::new(h);
    let heavy = dec.class != "go";
    row.rect(
        x0,
        0.0,
        w,
        h,
        None,
        Some((if heavy { 2.0 } else { 1.2 }, INK)),
    );
    row.line(x0 + left_w, 0.0, x0 + left_w, h, 0.6, RULE);
    row.merge(left, 0.0, 0.0);
    row.merge(right, 0.0, 0.0);
    d.space(8.0);
    d.add(vec![row]);
}
