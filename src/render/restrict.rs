//! What narrative and message text may ask of the template engine: facts filled in with
//! `{{ expression }}` (filters from a fixed list, no function calls), `{% if %}` (with
//! `elif`, `else`, `raw`) and one level of `{% for x in facts %}` over the facts (a
//! loop inside a loop is refused), nothing more. `set`, macros, includes and functions
//! such as `range` are refused before anything is evaluated, and an
//! expression is at most [`MAX_EXPRESSION`] bytes, so filling a text takes time and
//! memory in proportion to the text and the facts. A nested `{% for %}` over `range`
//! aborted the process at 3.4 GB; tera has no step budget, so the budget is the
//! language.

/// The longest `{{ … }}` or `{% … %}` read.
pub const MAX_EXPRESSION: usize = 500;

/// Filters whose output is bounded by their input and their (short) arguments.
const FILTERS: &[&str] = &[
    "abs",
    "as_str",
    "capitalize",
    "code",
    "date",
    "default",
    "escape",
    "first",
    "float",
    "int",
    "join",
    "last",
    "length",
    "lower",
    "md",
    "pluralize",
    "reverse",
    "round",
    "sort",
    "title",
    "trim",
    "trim_end",
    "trim_start",
    "truncate",
    "unique",
    "upper",
    "weekday",
    "wordcount",
];

/// Why `text` cannot be filled, or Ok.
pub fn check(text: &str) -> Result<(), String> {
    let mut rest = text;
    let mut loops = 0usize;
    while let Some(at) = rest.find('{') {
        let after = &rest[at + 1..];
        let (close, kind) = match after.chars().next() {
            Some('{') => ("}}", '{'),
            Some('%') => ("%}", '%'),
            Some('#') => ("#}", '#'),
            _ => {
                rest = after;
                continue;
            }
        };
        let body_start = &after[1..];
        let Some(end) = body_start.find(close) else {
            return Ok(()); // unclosed: tera reports it where it is
        };
        let body = &body_start[..end];
        rest = &body_start[end + 2..];
        if kind == '#' {
            continue;
        }
        if body.len() > MAX_EXPRESSION {
            return Err(format!(
                "an expression of {} bytes; narrative expressions are at most {MAX_EXPRESSION}",
                body.len()
            ));
        }
        let inner = body.trim_matches(|c: char| c == '-' || c == '+' || c.is_whitespace());
        if kind == '%' {
            let name = inner.split_whitespace().next().unwrap_or("");
            match name {
                "if" | "elif" => expression(&inner[name.len()..])?,
                "else" | "endif" | "break" | "continue" => {}
                "for" => {
                    loops += 1;
                    if loops > 1 {
                        return Err(
                            "a `{% for %}` inside a `{% for %}` is not available in narrative text: one loop over the facts at a time".into(),
                        );
                    }
                    let over = inner.split_once(" in ").map_or("", |(_, e)| e);
                    expression(over)?;
                }
                "endfor" => loops = loops.saturating_sub(1),
                "raw" => {
                    // Nothing up to `endraw` is evaluated.
                    match rest.find("endraw") {
                        Some(e) => rest = &rest[e..],
                        None => return Ok(()),
                    }
                }
                "endraw" => {}
                other => {
                    return Err(format!(
                        "`{{% {other} %}}` is not available in narrative text: it fills in facts with `{{{{ … }}}}`, `{{% if %}}` and `{{% for %}}`; variables, macros and includes are not part of it"
                    ));
                }
            }
        } else {
            expression(inner)?;
        }
    }
    Ok(())
}

/// Filters must be on the list; nothing may be called as a function.
fn expression(e: &str) -> Result<(), String> {
    let b = e.as_bytes();
    let mut i = 0;
    let mut after_pipe = false;
    while i < b.len() {
        let c = b[i];
        if matches!(c, b'"' | b'\'' | b'`') {
            // A string literal: skipped whole.
            i += 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            after_pipe = false;
            continue;
        }
        if c == b'|' {
            after_pipe = true;
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            let name = &e[start..i];
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if after_pipe {
                if !FILTERS.contains(&name) {
                    return Err(format!(
                        "the filter `{name}` is not available in narrative text (available: {})",
                        FILTERS.join(", ")
                    ));
                }
            } else if b.get(j) == Some(&b'(') {
                return Err(format!(
                    "`{name}(…)` is not available in narrative text: it fills in facts, it does not call functions"
                ));
            }
            after_pipe = false;
            continue;
        }
        if !c.is_ascii_whitespace() {
            after_pipe = false;
        }
        i += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn facts_and_conditions_pass_programs_do_not() {
        for ok in [
            "plain text",
            "{{ tests.pass_rate }} of {{ tests.total | length }}",
            "{% if decision.value == \"go\" %}GO{% else %}not yet{% endif %}",
            "{{ x | round(precision=1) }} {{ \"a | range(b)\" }}",
            "{% raw %}{% for x in y %}{% endraw %}",
            "{# a comment with {% for %} #}",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check(
                "{% for p in runbook.phases[1].items %}{{ loop.index }}. {{ p.title }}{% endfor %}"
            ),
            Ok(())
        );
        for bad in [
            "{% for i in range(end=100000) %}x{% endfor %}",
            "{% for a in items %}{% for b in items %}x{% endfor %}{% endfor %}",
            "{% set a = 1 %}",
            "{% macro m() %}{% endmacro %}",
            "{% include \"index.html\" %}",
            "{{ range(end=100000000) | length }}",
            "{{ x | replace(from=\"\", to=\"aaaa\") }}",
            "{% if range(end=9) %}{% endif %}",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
        assert!(check(&format!("{{{{ {} }}}}", "a ~ ".repeat(200))).is_err());
    }
}
