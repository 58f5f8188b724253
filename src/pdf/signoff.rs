//! The approval & sign-off sheet: release facts, the decision, then one block
//! per sign-off, two per row (eight fit on one page of A4 or letter).

use super::layout::*;
use super::*;
use crate::render::view::SignoffView;

const DOC: &str = "Release approval & sign-off";

pub fn render(v: &ReleaseView) -> Result<Vec<u8>> {
    let fonts = Fonts::new()?;
    // A sheet of up to eight sign-offs is meant to be one page: when the
    // roomy layout spills over, the compact one is used.
    let roomy = layout(&fonts, v, false);
    let fits = v.approvals.as_ref().is_some_and(|a| a.blocks.len() <= 8);
    let d = if roomy.page_count() > 1 && fits {
        layout(&fonts, v, true)
    } else {
        roomy
    };
    d.finish(&page_info(v, DOC))
}

fn layout<'f>(f: &'f Fonts, v: &ReleaseView, compact: bool) -> Doc<'f> {
    let mut d = Doc::new(f, v.paper);
    title_and_facts(&mut d, v, DOC, 4, compact);
    decision(&mut d, v);
    attest(&mut d, v, compact);
    d.space(if compact { 6.0 } else { 12.0 });
    let Some(a) = &v.approvals else {
        d.add(para(
            &d,
            d.left(),
            d.width(),
            &[(
                st(Face::Sans, 10.0, MUTED),
                "No approvals are recorded for this release.",
            )],
            10.0,
        ));
        return d;
    };
    let summary = format!(
        "{} of {} required approvals given{}",
        a.approved,
        a.required,
        if a.all_approved {
            " — all approved."
        } else {
            "; blocks with lines are still to be signed."
        }
    );
    let mut h = para(
        &d,
        d.left(),
        d.width(),
        &[
            (st(Face::Bold, 12.5, INK), "Sign-off"),
            (st(Face::Sans, 9.0, MUTED), &summary),
        ],
        12.5,
    );
    h.push(Row::gap(if compact { 4.0 } else { 6.0 }));
    d.keep(h);
    let gap = 10.0;
    let bw = (d.width() - gap) / 2.0;
    for pair in a.blocks.chunks(2) {
        let blocks: Vec<Row> = pair.iter().map(|b| block(&d, b, bw, compact)).collect();
        let h = blocks.iter().map(|b| b.h).fold(0.0, f32::max);
        let mut row = Row::new(h + if compact { 4.0 } else { 10.0 });
        for (i, b) in blocks.into_iter().enumerate() {
            let x = d.left() + i as f32 * (bw + gap);
            let complete = pair[i].complete;
            row.rect(
                x,
                0.0,
                bw,
                h,
                None,
                Some((if complete { 0.8 } else { 1.2 }, INK)),
            );
            row.merge(b, x, 0.0);
        }
        d.add(vec![row]);
    }
    d
}

/// "What you are approving": the state the signature attests to, two columns of
/// label and text.
fn attest(d: &mut Doc, v: &ReleaseView, compact: bool) {
    if v.attest.is_empty() {
        return;
    }
    d.space(if compact { 6.0 } else { 10.0 });
    let hs = st(Face::Bold, 11.0, INK);
    let mut rows = para(
        d,
        d.left(),
        d.width(),
        &[(hs, "What you are approving")],
        11.0,
    );
    rows.push(Row::gap(2.0));
    let gap = 12.0;
    let cw = (d.width() - gap) / 2.0;
    let lw = 72.0;
    let ls = st(Face::Bold, 8.5, MUTED);
    for pair in v.attest.chunks(2) {
        let mut row = Row::new(0.0);
        let mut h: f32 = 0.0;
        for (i, a) in pair.iter().enumerate() {
            let x = d.left() + i as f32 * (cw + gap);
            let face = if a.label == "Data version" {
                Face::Mono
            } else {
                Face::Sans
            };
            let body = para_block(d, x + lw, cw - lw, &[(st(face, 8.5, INK), &a.text)], 8.5);
            h = h.max(body.h);
            row.text(x, base(8.5), ls, a.label);
            row.merge(body, 0.0, 0.0);
        }
        row.h = h + 1.5;
        row.line(
            d.left(),
            row.h - 0.5,
            d.left() + d.width(),
            row.h - 0.5,
            0.4,
            RULE,
        );
        rows.push(row);
    }
    d.add(rows);
}

/// One sign-off block, drawn from x = 0, `w` wide.
fn block(d: &Doc, b: &SignoffView, w: f32, compact: bool) -> Row {
    let f = d.f;
    let pad = if compact { 6.0 } else { 8.0 };
    let inner = w - 2.0 * pad;
    let mut rows: Vec<Row> = vec![Row::new(pad)];

    // Role and status.
    let tag_s = st(Face::Bold, 7.5, if b.complete { 255 } else { INK });
    let tag = b.status.to_uppercase();
    let tag_w = f.width(tag_s, &tag) + 8.0;
    let role = para_block(
        d,
        pad,
        inner - tag_w - 6.0,
        &[(st(Face::Bold, 10.5, INK), &b.role)],
        10.5,
    );
    let mut head = Row::new(role.h);
    head.merge(role, 0.0, 0.0);
    let tx = w - pad - tag_w;
    head.rect(
        tx,
        1.5,
        tag_w,
        11.0,
        b.complete.then_some(INK),
        Some((0.8, INK)),
    );
    head.text(tx + 4.0, 1.5 + 8.2, tag_s, tag);
    rows.push(head);
    let small = st(Face::Sans, 8.5, MUTED);
    if !b.required {
        rows.push(para_block(
            d,
            pad,
            inner,
            &[(
                st(Face::Bold, 7.5, MUTED),
                "ADDITIONAL SIGN-OFF (not required for the decision)",
            )],
            7.5,
        ));
    }
    if let Some(s) = &b.scope {
        rows.push(para_block(d, pad, inner, &[(small, s)], 8.5));
    }
    for c in &b.conditions {
        rows.push(para_block(
            d,
            pad,
            inner,
            &[
                (st(Face::Bold, 8.5, INK), "Condition:"),
                (st(Face::Sans, 8.5, INK), c),
            ],
            8.5,
        ));
    }
    if let Some(n) = &b.note {
        rows.push(para_block(d, pad, inner, &[(small, n)], 8.5));
    }

    if let Some(w) = &b.warning {
        let mut r = para_block(
            d,
            pad + 5.0,
            inner - 5.0,
            &[(st(Face::Bold, 8.5, INK), w)],
            8.5,
        );
        r.line(pad + 1.0, 0.0, pad + 1.0, r.h, 2.0, INK);
        rows.push(Row::new(2.0));
        rows.push(r);
    }
    if b.recorded.is_some() {
        // The data already holds this word: nothing to sign on paper.
        let verdict = match b.status {
            "rejected" => "REJECTED IN THE DATA",
            "conditional" => "APPROVED WITH CONDITIONS IN THE DATA",
            _ => "APPROVED IN THE DATA",
        };
        rows.push(Row::new(5.0));
        rows.push(para_block(
            d,
            pad,
            inner,
            &[
                (st(Face::Bold, 7.5, INK), verdict),
                (st(Face::Sans, 7.5, MUTED), "— no signature needed on paper"),
            ],
            7.5,
        ));
        let ls = st(Face::Sans, 8.0, MUTED);
        let vs = st(Face::Sans, 9.5, INK);
        let lw = f.width(ls, "Name:") + 6.0;
        for (label, value) in [("Name:", b.name.as_deref()), ("Date:", b.date.as_deref())] {
            let Some(value) = value else { continue };
            let mut r = para_block(d, pad + lw, inner - lw, &[(vs, value)], 9.5);
            r.text(pad, base(9.5), ls, label);
            rows.push(Row::new(2.0));
            rows.push(r);
        }
        rows.push(Row::new(pad));
        return stack(rows);
    }

    // What the signer ticks and writes.
    let ls = st(Face::Sans, 8.0, MUTED);
    let ts = st(Face::Sans, 8.5, INK);
    let mut ticks = Row::new(if compact { 11.0 } else { 15.0 });
    let mut x = pad;
    for label in ["Approve", "Approve with conditions", "Reject"] {
        let lw = f.width(ts, label);
        if x + 12.0 + lw > w - pad {
            break;
        }
        ticks.rect(x, 3.0, 8.0, 8.0, None, Some((0.8, INK)));
        ticks.text(x + 12.0, 10.0, ts, label);
        x += 12.0 + lw + 12.0;
    }
    rows.push(ticks);
    // A line to write on, `h` tall, from `x0` to `x1`, labelled at its left.
    let line = |r: &mut Row, x0: f32, x1: f32, label: &str, h: f32| {
        let lw = f.width(ls, label);
        r.text(x0, h - 3.0, ls, label);
        r.line(x0 + lw + 4.0, h - 1.5, x1, h - 1.5, 0.6, INK);
    };
    let fh = if compact { 13.0 } else { 18.0 };
    let mut comments = Row::new(fh);
    line(&mut comments, pad, w - pad, "Conditions / comments:", fh);
    rows.push(comments);
    // The name beside the date when it fits on one line; otherwise wrapped on lines
    // of its own (never cut, never shrunk) and the date below.
    let split = pad + inner * 0.64;
    let name_lw = f.width(ls, "Name:") + 6.0;
    let vs = st(Face::Sans, 10.0, INK);
    let one_line = b
        .name
        .as_deref()
        .is_none_or(|n| f.width(vs, n) <= split - 10.0 - pad - name_lw);
    let mut name = Row::new(fh);
    if one_line {
        line(&mut name, pad, split - 10.0, "Name:", fh);
        if let Some(n) = &b.name {
            name.text(pad + name_lw, fh - 4.0, vs, n.as_str());
        }
        line(&mut name, split, w - pad, "Date:", fh);
        rows.push(name);
    } else {
        let n = b.name.as_deref().unwrap_or_default();
        let body = para_block(d, pad + name_lw, inner - name_lw, &[(vs, n)], 10.0);
        let h = body.h + 7.0;
        let mut r = Row::new(h);
        r.merge(body, 0.0, 4.0);
        r.text(pad, h - 3.0, ls, "Name:");
        r.line(pad + name_lw - 2.0, h - 1.5, w - pad, h - 1.5, 0.6, INK);
        rows.push(r);
        let mut date = Row::new(fh);
        line(&mut date, pad, split - 10.0, "Date:", fh);
        rows.push(date);
    }
    // Ink room: at least 12 mm high and 6 cm wide.
    let sh = 12.0 * MM + if compact { 1.0 } else { 3.0 };
    let mut sig = Row::new(sh);
    line(&mut sig, pad, w - pad, "Signature:", sh);
    rows.push(sig);
    rows.push(Row::new(pad));
    stack(rows)
}
