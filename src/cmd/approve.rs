//! `gonogo approve RELEASE --role ROLE --name NAME`: records one sign-off in the
//! release's YAML, bound to the data fingerprint of the facts it approves.
//!
//! The file is edited as text, not re-serialized: one line is added (or, in a flow
//! list, one line gets one more entry), so comments and layout stay as they were and
//! a pull request shows one line per signature. The result is loaded again before
//! it is kept: when the new sign-off is not the one that counts for its role, or the
//! fingerprint moved, the file is put back and nothing changes.

use crate::cli::{ApproveArgs, ApproveStatus};
use crate::signing::{Signing, State};
use anyhow::{Context, Result, bail};
use std::path::Path;

pub fn run(a: &ApproveArgs) -> Result<bool> {
    let status = match (a.status, a.conditions.is_empty()) {
        (Some(ApproveStatus::Approved), false) => {
            bail!("conditions are given: sign with `--status conditional`")
        }
        (Some(s), _) => s,
        (None, true) => ApproveStatus::Approved,
        (None, false) => ApproveStatus::Conditional,
    };
    let name = a.name.trim();
    if name.is_empty() || crate::facts::placeholder_name(name) {
        bail!("`{}` is not a name: give the approver's name", a.name);
    }
    let before = load(&a.data, &a.release)?;
    let r = &before.0;
    let role = known_role(r, &a.role)?;
    let fingerprint = r.fingerprint.clone();
    let today = crate::check::build_time()
        .with_timezone(&r.tz)
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    if let Some(d) = r.info.v.deploy.as_ref().map(|d| d.value.date)
        && d.format("%Y-%m-%d").to_string() < today
    {
        bail!(
            "today ({today}, in {}) is after the deployment ({d}): a sign-off after the deployment does not count (GN0402)",
            r.tz.name()
        );
    }
    let (path, text) = before.1.clone();

    let mut entry = format!(
        "{{role: {}, name: {}, status: {}, date: {today}",
        quote(&role),
        quote(name),
        status.word()
    );
    if !a.conditions.is_empty() {
        let c: Vec<String> = a.conditions.iter().map(|c| quote(c)).collect();
        entry.push_str(&format!(", conditions: [{}]", c.join(", ")));
    }
    entry.push_str(&format!(", fingerprint: {}}}", quote(&fingerprint)));
    let edited = insert(&text, &entry).map_err(|why| {
        anyhow::anyhow!(
            "cannot add the sign-off to {}: {why}; add this line to its `approvals: signoffs:` list by hand:\n  - {entry}",
            path.display()
        )
    })?;

    crate::write::atomic_replace(&path, edited.as_bytes())?;
    // Read back: the new sign-off must be the one that counts for its role, for the
    // fingerprint it records; otherwise the file is restored.
    let verdict = match load(&a.data, &a.release) {
        Ok((after, _)) => verify(&after, &role, name, &fingerprint),
        Err(e) => Err(format!("{e:#}")),
    };
    if let Err(why) = verdict {
        crate::write::atomic_replace(&path, text.as_bytes())
            .with_context(|| format!("and {} could not be restored", path.display()))?;
        bail!(
            "the sign-off was not recorded ({} is unchanged): {why}",
            path.display()
        );
    }
    eprintln!(
        "{}: {role} {} by {name} on {today}, for data {fingerprint} ({})",
        a.release,
        status.word(),
        path.display()
    );
    Ok(true)
}

/// The release `id`, ingested (fingerprint set), and the file its sign-offs go to.
fn load(data: &Path, id: &str) -> Result<(crate::load::Release, (std::path::PathBuf, String))> {
    let mut p = crate::load::load(data)?;
    crate::ingest::run(&mut p);
    let known: Vec<&str> = p.releases.iter().map(|r| r.id.as_str()).collect();
    let Some(i) = p.releases.iter().position(|r| r.id == id) else {
        let hint = crate::load::did_you_mean(id, &known)
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        bail!("no release `{id}` in the data{hint}");
    };
    let r = p.releases.swap_remove(i);
    if !r.unread.is_empty() {
        bail!(
            "release `{id}` has data that cannot be read ({}): `gonogo check --release {id}` says what; an approval of it would not mean anything",
            r.unread.join(", ")
        );
    }
    let file = r.approvals.as_ref().map_or(r.info.file, |s| s.file);
    let src = &p.sources[file];
    Ok((r, (src.abs.clone(), src.text.clone())))
}

/// The role as the data spells it: a required role or one that has signed before.
fn known_role(r: &crate::load::Release, role: &str) -> Result<String> {
    let mut roles: Vec<String> = vec![];
    if let Some(a) = &r.approvals {
        roles = crate::facts::required_roles(&a.v);
        for s in &a.v.signoffs {
            if !roles.contains(&s.role.value) {
                roles.push(s.role.value.clone());
            }
        }
    }
    if roles.is_empty() {
        bail!(
            "release `{}` lists no approvals: add `approvals: {{required: [{role}]}}` to its data first, so a role signing is one the team asked for",
            r.id
        );
    }
    if let Some(exact) = roles.iter().find(|x| *x == role) {
        return Ok(exact.clone());
    }
    // The same role in other letter case is that role.
    if let Some(same) = roles.iter().find(|x| x.eq_ignore_ascii_case(role)) {
        return Ok(same.clone());
    }
    let names: Vec<&str> = roles.iter().map(String::as_str).collect();
    let hint = crate::load::did_you_mean(role, &names)
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    bail!(
        "`{role}` is not a role of release `{}`: {hint}(roles: {})",
        r.id,
        names.join(", ")
    )
}

fn verify(
    r: &crate::load::Release,
    role: &str,
    name: &str,
    fingerprint: &str,
) -> Result<(), String> {
    if r.fingerprint != fingerprint {
        return Err(format!(
            "the data fingerprint changed from {fingerprint} to {} when the sign-off was added",
            r.fingerprint
        ));
    }
    let sg = Signing::of(r).ok_or("no approvals were read back")?;
    let s = sg
        .current(role)
        .ok_or_else(|| format!("no sign-off of {role} was read back"))?;
    let ours = s.name.as_ref().is_some_and(|n| n.value == name)
        && s.fingerprint
            .as_ref()
            .is_some_and(|f| f.value == fingerprint);
    if !ours {
        return Err(format!(
            "an existing sign-off of {role} dated later still counts instead of the new one"
        ));
    }
    match sg.state(s) {
        State::Counts | State::Rejected => Ok(()),
        State::Open => Err(format!(
            "it would not count (a sign-off dated after the deployment, or incomplete): `gonogo check --release {}` says why",
            r.id
        )),
        other => Err(format!("it would not count ({other:?})")),
    }
}

/// A YAML double-quoted scalar (JSON's escapes are YAML's).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

/// `text` with `entry` (a flow mapping) added to the list `approvals: signoffs:`,
/// changing nothing else.
pub fn insert(text: &str, entry: &str) -> Result<String, String> {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let key_of = |l: &str, key: &str| {
        let t = l.trim_start_matches(' ');
        t.strip_prefix(key)
            .and_then(|r| r.strip_prefix(':'))
            .map(|r| r.trim_end_matches(['\n', '\r']).to_string())
    };
    let Some(top) = lines
        .iter()
        .position(|l| indent(l) == 0 && key_of(l, "approvals").is_some())
    else {
        // No approvals section: one is added at the end.
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&format!("approvals:{nl}  signoffs:{nl}    - {entry}{nl}"));
        return Ok(out);
    };
    let rest = key_of(lines[top], "approvals").unwrap_or_default();
    if !rest.trim().is_empty() && !rest.trim().starts_with('#') {
        return Err("`approvals:` is written on one line (flow style)".into());
    }
    // The section: up to the next line at column 0 that is not a comment.
    let end = (top + 1..lines.len())
        .find(|&i| content(lines[i]) && indent(lines[i]) == 0)
        .unwrap_or(lines.len());
    let child = (top + 1..end)
        .find(|&i| content(lines[i]))
        .map(|i| indent(lines[i]))
        .unwrap_or(2);
    let key = (top + 1..end)
        .find(|&i| indent(lines[i]) == child && key_of(lines[i], "signoffs").is_some());
    let last_content = |from: usize, to: usize| (from..to).rev().find(|&i| content(lines[i]));
    let Some(k) = key else {
        // No signoffs list: added at the end of the section.
        let at = last_content(top, end).unwrap_or(top) + 1;
        let pad = " ".repeat(child);
        let mut out: String = lines[..at].concat();
        if !out.ends_with('\n') {
            out.push_str(nl);
        }
        out.push_str(&format!("{pad}signoffs:{nl}{pad}  - {entry}{nl}"));
        out.push_str(&lines[at..].concat());
        return Ok(out);
    };
    let after_key = key_of(lines[k], "signoffs").unwrap_or_default();
    let value = after_key.trim();
    if value.starts_with('[') {
        return flow(text, &lines, k, entry);
    }
    if !value.is_empty() && !value.starts_with('#') {
        return Err(format!("`signoffs:` holds `{value}`, not a list"));
    }
    // A block list: the new item goes after the list's last line, at its dash indent.
    let list_end = (k + 1..end)
        .find(|&i| {
            content(lines[i])
                && (indent(lines[i]) < child
                    || (indent(lines[i]) == child && !lines[i].trim_start().starts_with('-')))
        })
        .unwrap_or(end);
    let dash = (k + 1..list_end)
        .find(|&i| lines[i].trim_start().starts_with('-'))
        .map(|i| indent(lines[i]))
        .unwrap_or(child + 2);
    let at = last_content(k, list_end).unwrap_or(k) + 1;
    let mut out: String = lines[..at].concat();
    if !out.ends_with('\n') {
        out.push_str(nl);
    }
    out.push_str(&format!("{}- {entry}{nl}", " ".repeat(dash)));
    out.push_str(&lines[at..].concat());
    Ok(out)
}

/// Adds `entry` to the flow list that starts on line `k`: before its closing `]`,
/// after the last entry (on that entry's line).
fn flow(text: &str, lines: &[&str], k: usize, entry: &str) -> Result<String, String> {
    let start: usize = lines[..k].iter().map(|l| l.len()).sum();
    let open = start + lines[k].find('[').ok_or("no `[` after `signoffs:`")?;
    // Quote-aware scan for the matching `]`; comments end at the line's end.
    let b = text.as_bytes();
    let (mut depth, mut i) = (0usize, open);
    let mut last = open; // the last byte of content before the close
    loop {
        let Some(&c) = b.get(i) else {
            return Err("the `[` after `signoffs:` is never closed".into());
        };
        match c {
            b'"' | b'\'' => {
                let q = c;
                i += 1;
                while let Some(&d) = b.get(i) {
                    if d == b'\\' && q == b'"' {
                        i += 2;
                        continue;
                    }
                    if d == q {
                        if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                last = i;
            }
            b'#' if i > 0 && b[i - 1].is_ascii_whitespace() => {
                while b.get(i).is_some_and(|&d| d != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                last = i;
            }
            b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                last = i;
            }
            c if !c.is_ascii_whitespace() => last = i,
            _ => {}
        }
        i += 1;
    }
    let empty = last == open;
    let mut out = String::with_capacity(text.len() + entry.len() + 2);
    out.push_str(&text[..=last]);
    if empty {
        out.push_str(entry);
    } else if b[last] == b',' {
        out.push(' ');
        out.push_str(entry);
    } else {
        out.push_str(", ");
        out.push_str(entry);
    }
    out.push_str(&text[last + 1..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::insert;

    const E: &str = "{role: QA, name: \"Jo\"}";

    #[test]
    fn block_lists_get_one_line_at_their_dash_indent() {
        let t = "release: {product: X}\napprovals:\n  required: [QA]  # who\n  signoffs:\n    # the first\n    - role: Dev\n      name: A\n\n    - {role: Ops}\n  # trailing comment\nrisks: {}\n";
        let got = insert(t, E).unwrap();
        assert_eq!(
            got,
            "release: {product: X}\napprovals:\n  required: [QA]  # who\n  signoffs:\n    # the first\n    - role: Dev\n      name: A\n\n    - {role: Ops}\n    - {role: QA, name: \"Jo\"}\n  # trailing comment\nrisks: {}\n"
        );
        // Dashes at the key's own indent.
        let t = "approvals:\n  signoffs:\n  - {role: Dev}\n  all_approved: false\n";
        assert_eq!(
            insert(t, E).unwrap(),
            "approvals:\n  signoffs:\n  - {role: Dev}\n  - {role: QA, name: \"Jo\"}\n  all_approved: false\n"
        );
    }

    #[test]
    fn flow_lists_get_one_more_entry_on_their_last_line() {
        let t = "approvals:\n  signoffs: [{role: Dev, note: \"a ] b\"}]  # x\n";
        assert_eq!(
            insert(t, E).unwrap(),
            "approvals:\n  signoffs: [{role: Dev, note: \"a ] b\"}, {role: QA, name: \"Jo\"}]  # x\n"
        );
        let t = "approvals:\n  signoffs: [\n    {role: Dev},\n    {role: 'O''s]'}\n  ]\n";
        assert_eq!(
            insert(t, E).unwrap(),
            "approvals:\n  signoffs: [\n    {role: Dev},\n    {role: 'O''s]'}, {role: QA, name: \"Jo\"}\n  ]\n"
        );
        assert_eq!(
            insert("approvals:\n  signoffs: []\n", E).unwrap(),
            "approvals:\n  signoffs: [{role: QA, name: \"Jo\"}]\n"
        );
    }

    #[test]
    fn missing_lists_and_sections_are_added() {
        assert_eq!(
            insert("approvals:\n  required: [QA]\n# end\n", E).unwrap(),
            "approvals:\n  required: [QA]\n  signoffs:\n    - {role: QA, name: \"Jo\"}\n# end\n"
        );
        assert_eq!(
            insert("release: {product: X}", E).unwrap(),
            "release: {product: X}\napprovals:\n  signoffs:\n    - {role: QA, name: \"Jo\"}\n"
        );
        assert!(insert("approvals: {signoffs: []}\n", E).is_err());
        assert!(insert("approvals:\n  signoffs: 3\n", E).is_err());
    }
}
