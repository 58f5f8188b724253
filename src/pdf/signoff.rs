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
    title_and_facts(&mut d, v, DOC, 4);
    decision(&mut d, v);
    d.space(if compact { 8.0 } else { 12.0 });
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
            "; blocks marked pending are still to be signed."
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
        let mut row = Row::new(h + if compact { 7.0 } else { 10.0 });
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

/// One sign-off block, drawn from x = 0, `w` wide.
fn block(d: &Doc, b: &SignoffView, w: f32, compact: bool) -> Row {
    let f = d.f;
    let pad = if compact { 7.0 } else { 8.0 };
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

    // Fields to write on.
    let fh = if compact { 19.0 } else { 23.0 };
    let ls = st(Face::Sans, 8.0, MUTED);
    let vs = st(Face::Sans, 10.0, INK);
    let field = |row: &mut Row, x: f32, right: f32, label: &str, value: Option<&str>| {
        let lw = f.width(ls, label);
        let y = fh - 3.0;
        row.text(x, y, ls, label);
        row.line(x + lw + 3.0, y + 1.5, right, y + 1.5, 0.6, INK);
        if let Some(v) = value {
            let avail = right - (x + lw + 6.0);
            let mut s = vs;
            let vw = f.width(s, v);
            if vw > avail {
                s.size = (s.size * avail / vw).max(6.0);
            }
            row.text(x + lw + 6.0, y - 1.0, s, v);
        }
    };
    let mut name = Row::new(fh);
    field(&mut name, pad, w - pad, "Name:", b.name.as_deref());
    rows.push(name);
    let mut sd = Row::new(fh);
    let split = pad + inner * 0.6;
    field(&mut sd, pad, split - 8.0, "Signature:", None);
    field(&mut sd, split, w - pad, "Date:", b.date.as_deref());
    rows.push(sd);
    rows.push(Row::new(pad));
    stack(rows)
}
