//! Rendering: views -> tera templates (embedded, overridable with --templates) ->
//! the in-memory site.

mod calendar;
pub mod markdown;
mod restrict;
pub mod trend;
pub mod view;

use crate::diag::Diagnostic;
use crate::load::Project;
use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};
use tera::{Context, Kwargs, State, Tera};

/// The built-in templates, embedded at compile time.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("report.html", include_str!("../../templates/report.html")),
    (
        "approval.html",
        include_str!("../../templates/approval.html"),
    ),
    ("runbook.html", include_str!("../../templates/runbook.html")),
    ("index.md", include_str!("../../templates/index.md")),
    ("report.md", include_str!("../../templates/report.md")),
    ("approval.md", include_str!("../../templates/approval.md")),
    ("runbook.md", include_str!("../../templates/runbook.md")),
];
pub const STYLE: &str = include_str!("../../templates/style.css");

fn engine(overrides: Option<&Path>) -> Result<std::sync::Arc<Tera>> {
    // The built-in templates compile once per process (`serve` rebuilds, the fuzz
    // targets run thousands of inputs); pages are rendered from a shared engine.
    type Engine = std::result::Result<std::sync::Arc<Tera>, String>;
    static BUILT_IN: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    if overrides.is_none() {
        return BUILT_IN
            .get_or_init(|| {
                compile(None)
                    .map(std::sync::Arc::new)
                    .map_err(|e| format!("{e:#}"))
            })
            .clone()
            .map_err(|e| anyhow::anyhow!(e));
    }
    compile(overrides).map(std::sync::Arc::new)
}

/// The filters of gonogo's own, for pages and for narrative text alike.
fn register_filters(tera: &mut Tera) {
    tera.register_filter("md", |s: &str, _: Kwargs, _: &State| markdown::escape_md(s));
    // Code in Markdown pages: `{{ t | fence }}` a fenced block, `{{ t | code }}` inline code.
    tera.register_filter("fence", |s: &str, _: Kwargs, _: &State| markdown::fence(s));
    tera.register_filter("code", |s: &str, _: Kwargs, _: &State| markdown::code(s));
    // `{{ deploy.date | weekday }}`: the weekday of an ISO date.
    tera.register_filter("weekday", |s: &str, _: Kwargs, _: &State| {
        chrono::NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
            .map(|d| crate::when::weekday_name(chrono::Datelike::weekday(&d)).to_string())
            .unwrap_or_default()
    });
}

/// The engine that fills narrative and message text: the filters, no templates (the
/// text may use none, [`restrict`]).
fn filler() -> Tera {
    let mut tera = Tera::new();
    register_filters(&mut tera);
    tera
}

fn compile(overrides: Option<&Path>) -> Result<Tera> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html"]);
    register_filters(&mut tera);
    let mut sources: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if let Some(dir) = overrides {
        for (name, text) in sources.iter_mut() {
            let path = dir.join(&*name);
            if path.symlink_metadata().is_ok() {
                *text = read_template(dir, &path)?;
            }
        }
        let style = dir.join("style.css");
        if style.symlink_metadata().is_ok() {
            sources.push(("style.css".into(), read_template(dir, &style)?));
        }
    }
    tera.add_raw_templates(
        sources
            .iter()
            .filter(|(n, _)| n != "style.css")
            .map(|(n, t)| (n.as_str(), t.as_str())),
    )
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("a template does not compile")?;
    Ok(tera)
}

fn render(tera: &Tera, name: &str, ctx: &Context) -> Result<Vec<u8>> {
    tera.render(name, ctx)
        .map(String::into_bytes)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot render template {name}"))
}

/// Fills `{{ expressions }}` in narrative and communication templates.
fn fill(tera: &mut Tera, text: &str, ctx: &Context) -> std::result::Result<String, String> {
    if !text.contains("{{") && !text.contains("{%") {
        return Ok(text.to_string());
    }
    restrict::check(text)?;
    tera.render_str(text, ctx, false).map_err(|e| {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg = format!("{msg}: {s}");
            src = s.source();
        }
        msg
    })
}

/// Where rendered files go: the staging folder of a build, a map in memory (serve),
/// or nowhere (check renders only the text it must check).
pub type Sink<'a> = dyn Fn(PathBuf, Vec<u8>) -> Result<()> + Sync + 'a;

/// The view of one release, with its narrative and messages filled in, and the
/// problems found while filling them.
fn release_view(
    p: &Project,
    i: usize,
    (prev, next): (&[Option<usize>], Option<usize>),
    filler: &mut Tera,
    paper: &'static str,
) -> Result<(view::ReleaseView, Vec<Diagnostic>)> {
    let r = &p.releases[i];
    let previous = prev[i];
    let fallback = crate::facts::default_policy();
    let site_policy = p.site.as_ref().and_then(|s| s.v.policy.as_ref());
    let policy = crate::facts::policy_of(r, site_policy, &fallback);
    let mut v = view::release_view(r, policy, previous.map(|j| &p.releases[j]));
    v.next = next.map(|j| view::NextView {
        id: p.releases[j].id.clone(),
        version: p.releases[j].info.v.version.clone(),
    });
    v.history = trend::history(p, i, prev);
    v.ics = calendar::ics(r);
    v.calendar = v.ics.is_some();
    v.paper = paper;
    let mut problems = vec![];
    let narratives = crate::prose::of(r, &p.sources);
    let communications: Vec<_> = r.communications.iter().flat_map(|c| c.v.iter()).collect();
    if narratives.is_empty() && communications.is_empty() {
        return Ok((v, problems));
    }
    let mut ctx = Context::from_serialize(&v).map_err(|e| anyhow::anyhow!("{e}"))?;
    ctx.insert("release", &v);
    for c in communications {
        let body = fill(filler, &c.body.value, &ctx).unwrap_or_else(|e| {
            if !r.unread.is_empty() {
                return String::new();
            }
            problems.push(expr_error(
                r.communications.as_ref().expect("has communications").file,
                &c.body,
                e,
            ));
            String::new()
        });
        v.communications.push(view::TemplateView {
            kind: c.kind.clone(),
            channel: c.channel.clone(),
            subject: c.subject.clone(),
            body,
        });
    }
    for n in narratives {
        let md = fill(filler, n.body, &ctx).unwrap_or_else(|e| {
            let why = FillError::read(n.body, &e);
            let (offset, len) = why
                .span
                .unwrap_or((n.body.find("{{").or(n.body.find("{%")).unwrap_or(0), 2));
            // With a section left out (its error reported), the facts the text names
            // may be missing: that is not the text's mistake.
            if r.unread.is_empty() {
                problems.push(why.diagnostic().at(n.locate(&p.sources, offset, len)));
            }
            String::new()
        });
        v.narrative.push(view::NarrativeView {
            title: n.title.to_string(),
            html: markdown::to_html(&md),
            markdown: markdown::to_markdown(&md),
        });
    }
    Ok((v, problems))
}

/// What every page shows about the site.
struct SiteInfo {
    title: String,
    organisation: Option<String>,
    pdf: bool,
}

/// Keeps the pages of a release from the previous build: called with the release id
/// and its new `facts.json`, it returns true when it kept every file the previous
/// build wrote for the release (the pages are made from those facts alone, so the
/// caller keeps them only when the facts, templates, site file and gonogo are the
/// same), false when they must be made again.
pub type Reuse<'a> = dyn Fn(&str, &[u8]) -> bool + Sync + 'a;

/// The pages of one release: report, sign-off sheet and runbook in HTML and
/// Markdown, its facts as JSON, and the two PDFs. Returns false when `reuse` kept
/// the previous build's instead.
fn release_pages(
    tera: &Tera,
    v: &view::ReleaseView,
    site: &SiteInfo,
    sink: &Sink,
    reuse: Option<&Reuse>,
) -> Result<bool> {
    // Compact: a reader that wants it indented runs `jq .`; pretty-printed it was
    // half the bytes of the site (issue 19).
    let mut json = serde_json::to_vec(v)?;
    json.push(b'\n');
    if reuse.is_some_and(|keep| keep(&v.id, &json)) {
        return Ok(false);
    }
    let mut ctx = Context::new();
    ctx.insert("r", v);
    ctx.insert("site_title", &site.title);
    ctx.insert("organisation", &site.organisation);
    ctx.insert("root", "../");
    ctx.insert("pdf", &site.pdf);
    for page in ["report", "approval", "runbook"] {
        let file = if page == "report" { "index" } else { page };
        ctx.insert("page", page);
        for ext in ["html", "md"] {
            let bytes = render(tera, &format!("{page}.{ext}"), &ctx)?;
            sink(PathBuf::from(&v.id).join(format!("{file}.{ext}")), bytes)?;
        }
    }
    sink(PathBuf::from(&v.id).join("facts.json"), json)?;
    if let Some(ics) = &v.ics {
        sink(
            PathBuf::from(&v.id).join("deploy.ics"),
            ics.clone().into_bytes(),
        )?;
    }
    if site.pdf {
        // The sign-off sheet and the runbook as PDF, made without a browser.
        sink(
            PathBuf::from(&v.id).join("approval.pdf"),
            crate::pdf::signoff(v)?,
        )?;
        sink(
            PathBuf::from(&v.id).join("runbook.pdf"),
            crate::pdf::runbook(v)?,
        )?;
    }
    Ok(true)
}

/// Renders the site into `sink`, releases in parallel. With `pages` false only the
/// narrative and messages are filled (their expressions are checked) and nothing is
/// sent to the sink. Expressions that cannot be evaluated are returned as
/// diagnostics, in release order whatever the threads did. `reuse` may keep a
/// release's pages from the previous build instead of making them.
pub fn render_site(
    p: &Project,
    templates: Option<&Path>,
    pages: bool,
    sink: &Sink,
    reuse: Option<&Reuse>,
) -> Result<Vec<Diagnostic>> {
    let tera = engine(templates)?;
    let paper = match p.site.as_ref().and_then(|s| s.v.paper) {
        Some(crate::model::Paper::Letter) => "letter",
        _ => "A4",
    };
    let info = SiteInfo {
        title: p
            .site
            .as_ref()
            .map(|s| s.v.title.clone())
            .unwrap_or_else(|| "Release readiness".into()),
        organisation: p.site.as_ref().and_then(|s| s.v.organisation.clone()),
        pdf: p.site.as_ref().and_then(|s| s.v.pdf).unwrap_or(true),
    };
    let prev = crate::facts::previous_all(&p.releases);
    // The release each one is the previous of: its next (the first, should two name
    // the same previous release).
    let mut next: Vec<Option<usize>> = vec![None; prev.len()];
    for (i, pr) in prev.iter().enumerate() {
        if let Some(j) = *pr
            && next[j].is_none()
        {
            next[j] = Some(i);
        }
    }
    let todo: Vec<usize> = (0..p.releases.len())
        .filter(|i| p.is_rendered(&p.releases[*i]))
        .collect();
    // The built-in index shows a row per release: only what the row needs is kept
    // once a release's pages are written. A custom index template gets whole views.
    let slim_index =
        !templates.is_some_and(|d| d.join("index.html").exists() || d.join("index.md").exists());
    let kept = std::sync::atomic::AtomicUsize::new(0);
    let done = crate::par::map_with(
        &todo,
        filler,
        |filler, &i| -> Result<(Option<view::ReleaseView>, Vec<Diagnostic>)> {
            if !pages {
                // `check`: only the problems found filling the text are wanted, and a
                // release without narrative or messages has none.
                let r = &p.releases[i];
                if r.narrative.is_none()
                    && r.narrative_files.is_empty()
                    && r.communications.is_none()
                {
                    return Ok((None, vec![]));
                }
                let (_, problems) = release_view(p, i, (&prev, next[i]), filler, paper)?;
                return Ok((None, problems));
            }
            let (mut v, problems) = release_view(p, i, (&prev, next[i]), filler, paper)?;
            if !release_pages(&tera, &v, &info, sink, reuse)? {
                kept.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if slim_index {
                v = v.index_row();
            }
            Ok((Some(v), problems))
        },
    );
    let mut done: Vec<(Option<view::ReleaseView>, Vec<Diagnostic>)> =
        done.into_iter().collect::<Result<_>>()?;
    let problems: Vec<Diagnostic> = done.iter_mut().flat_map(|(_, d)| d.drain(..)).collect();
    if !pages {
        return Ok(problems);
    }
    if reuse.is_some() {
        crate::cmd::note_kept(kept.into_inner());
    }
    let mut views: Vec<view::ReleaseView> = done.into_iter().filter_map(|(v, _)| v).collect();
    // Newest first: releases not yet scheduled (still to come), then by deployment
    // date, latest first; the id breaks ties.
    views.sort_by(|a, b| {
        (a.deploy.scheduled, std::cmp::Reverse(&a.deploy.date), &a.id).cmp(&(
            b.deploy.scheduled,
            std::cmp::Reverse(&b.deploy.date),
            &b.id,
        ))
    });
    // "1 GO · 4 NO-GO": how many releases have each decision.
    let summary: Vec<serde_json::Value> = [
        crate::model::Decision::Go,
        crate::model::Decision::GoWithConditions,
        crate::model::Decision::NoGo,
    ]
    .into_iter()
    .filter_map(|d| {
        let n = views.iter().filter(|v| v.decision.value == d).count();
        let class = views
            .iter()
            .find(|v| v.decision.value == d)
            .map(|v| v.decision.class)?;
        Some(serde_json::json!({"count": n, "label": d.label(), "class": class}))
    })
    .collect();
    let description_md = p.site.as_ref().and_then(|s| s.v.description.as_deref());
    let mut ctx = Context::new();
    ctx.insert("releases", &views);
    ctx.insert("summary", &summary);
    ctx.insert("site_title", &info.title);
    ctx.insert("organisation", &info.organisation);
    ctx.insert("description", &description_md.map(markdown::to_html));
    ctx.insert("description_md", &description_md.map(markdown::to_markdown));
    ctx.insert("root", "");
    ctx.insert("page", "index");
    for ext in ["html", "md"] {
        sink(
            PathBuf::from(format!("index.{ext}")),
            render(&tera, &format!("index.{ext}"), &ctx)?,
        )?;
    }
    let style = match templates.filter(|d| d.join("style.css").symlink_metadata().is_ok()) {
        Some(dir) => read_template(dir, &dir.join("style.css"))?.into_bytes(),
        None => STYLE.as_bytes().to_vec(),
    };
    sink(PathBuf::from("assets/style.css"), style)?;
    Ok(problems)
}

fn expr_error(file: usize, at: &crate::model::S<String>, e: String) -> Diagnostic {
    FillError::read(&at.value, &e)
        .diagnostic()
        .at(crate::diag::Loc::of(file, at))
}

/// Why a text could not be filled, in the text's own terms: the engine's message
/// names its one-off template (`__tera_one_off:3:35`) and its own line numbers.
struct FillError {
    message: String,
    notes: Vec<String>,
    /// The byte offset and length, in the text, of what could not be evaluated.
    span: Option<(usize, usize)>,
}

impl FillError {
    fn read(body: &str, e: &str) -> FillError {
        let first = e.lines().next().unwrap_or(e).trim();
        let first = first.strip_prefix("error: ").unwrap_or(first);
        // "--> __tera_one_off:L:C": a line and column of the text itself.
        let span = e.lines().find_map(|l| {
            let (_, at) = l.split_once("__tera_one_off:")?;
            let (line, col) = at.trim().split_once(':')?;
            let (line, col): (usize, usize) = (line.parse().ok()?, col.parse().ok()?);
            let start = body
                .split_inclusive('\n')
                .take(line.checked_sub(1)?)
                .map(str::len)
                .sum::<usize>();
            let text = body.get(start..)?.lines().next()?;
            let offset = start + text.char_indices().nth(col.checked_sub(1)?)?.0;
            Some(offset)
        });
        let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
        let path = span.map(|at| {
            let begin = body[..at].rfind(|c: char| !name_char(c)).map_or(0, |i| {
                i + body[i..].chars().next().map_or(1, char::len_utf8)
            });
            let end = body[at..]
                .find(|c: char| !name_char(c))
                .map_or(body.len(), |i| at + i);
            (begin, &body[begin..end])
        });
        let unknown = ["Field `", "Variable `"].iter().find_map(|p| {
            let rest = first.strip_prefix(p)?;
            let (name, rest) = rest.split_once('`')?;
            let available = rest.split_once(": ").map_or("", |(_, a)| a);
            Some((name, available))
        });
        if let (Some((name, available)), Some((begin, whole))) = (unknown, path) {
            let candidates: Vec<&str> = available.split(", ").filter(|c| !c.is_empty()).collect();
            // `tests.totl.x`: the path up to the name that is not defined.
            let segments: Vec<&str> = whole.split('.').collect();
            if !segments.contains(&name) {
                // `metrics[7].target` past the end of the list (or under a fact the
                // release leaves out): the expression is named whole, not `metrics`.
                let shown = body[begin..]
                    .find(|c: char| c.is_whitespace() || c == '}' || c == '|')
                    .map_or(&body[begin..], |end| &body[begin..begin + end]);
                return FillError {
                    message: format!("`{shown}` has no value in this release"),
                    notes: vec![format!(
                        "`{name}` is not defined there: an index past the end of a list, or a fact this release leaves out"
                    )],
                    span: Some((begin, shown.chars().count().max(1))),
                };
            }
            let upto = segments
                .iter()
                .position(|s| *s == name)
                .map_or(segments.len(), |i| i + 1);
            let path = &whole[..segments[..upto].iter().map(|s| s.len() + 1).sum::<usize>() - 1];
            let parent = path.rsplit_once('.').map(|(p, _)| p);
            let mut notes = vec![];
            if let Some(best) = crate::load::did_you_mean(name, &candidates) {
                let meant = match parent {
                    Some(p) => format!("{p}.{best}"),
                    None => best.to_string(),
                };
                notes.push(format!("did you mean `{meant}`?"));
            }
            notes.push(match parent {
                Some(p) => format!("the facts under `{p}`: {}", candidates.join(", ")),
                None => format!("the facts a text can use: {}", candidates.join(", ")),
            });
            return FillError {
                message: format!("`{path}` is not a fact of this release"),
                notes,
                span: Some((begin, path.chars().count().max(1))),
            };
        }
        // "the filter `upcase` is not available": at the filter.
        let filter = first
            .strip_prefix("the filter `")
            .and_then(|r| r.split_once('`'))
            .and_then(|(name, _)| {
                body.match_indices(name)
                    .map(|(i, _)| i)
                    .find(|i| {
                        body[..*i].trim_end().ends_with('|')
                            && !body[i + name.len()..].starts_with(name_char)
                    })
                    .map(|i| (i, name.chars().count()))
            });
        FillError {
            message: "an expression in the text cannot be evaluated".into(),
            notes: vec![first.to_string()],
            span: filter.or(span.map(|at| (at, 1))),
        }
    }

    fn diagnostic(self) -> Diagnostic {
        let mut d = Diagnostic::error("GN1001", self.message);
        for n in self.notes {
            d = d.note(n);
        }
        d
    }
}

/// A file of `--templates DIR`, read under the rule every input follows
/// ([`crate::inside`]): a regular file inside DIR, at most 16 MiB, UTF-8.
fn read_template(dir: &Path, path: &Path) -> Result<String> {
    let root = crate::inside::Root::new(dir, "the templates folder")
        .with_context(|| format!("cannot read the templates folder {}", dir.display()))?;
    let bytes = root
        .read(path)
        .map_err(|why| anyhow::anyhow!("cannot use template {}: {why}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("template {} is not UTF-8", path.display()))
}
