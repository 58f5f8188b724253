// Opens every page of a built site in headless Chromium and reports anything that ran.
//
//   node check.mjs SITE_DIR [--jobs N]
//
// Every .html page is served as it is; every .md page is first rendered to HTML the way
// a Markdown viewer would before any sanitizing (markdown-it, raw HTML on, every link
// target kept, bare URLs linked) and served as PAGE.md.html. Pages come from a local
// server with a report-only Content-Security-Policy that forbids all script, so that
// any script a page would run (inline, event handler, javascript: URL, eval, external)
// is reported without being stopped; every other host resolves to nothing. Also
// reported: calls of alert/confirm/prompt/print/open, dialogs, navigation away,
// popups, requests for documents or scripts elsewhere, a crashed tab, and in the
// parsed DOM any script, frame, object, embed, svg or math element, event-handler
// attribute, or javascript:/vbscript:/data:text/html URL. After load every
// event-handler attribute's event is dispatched, every element gets a mouseover,
// focusable ones focus, and links with a non-web scheme are clicked. Each page gets a
// fresh tab. Exits 1 listing page and finding when anything is found, 0 otherwise.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { chromium } from "playwright-core";
import { walk } from "./site.mjs";

const args = process.argv.slice(2);
const jobsAt = args.indexOf("--jobs");
const jobs = jobsAt >= 0 ? Number(args.splice(jobsAt, 2)[1]) : 2;
if (args.length !== 1) {
  console.error("usage: node check.mjs SITE_DIR [--jobs N]");
  process.exit(2);
}
const root = path.resolve(args[0]);
const CSP =
  "script-src 'none' 'report-sample'; object-src 'none'; frame-src 'none'; " +
  "worker-src 'none'; base-uri 'none'; form-action 'none'";
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".pdf": "application/pdf",
  ".json": "application/json",
};
const md = new MarkdownIt({ html: true, linkify: true });
// Every link target kept, as a viewer that sanitizes only afterwards would have it.
md.validateLink = () => true;

const pages = walk(root)
  .map((f) => path.relative(root, f).split(path.sep).join("/"))
  .filter((f) => f.endsWith(".html") || f.endsWith(".md"))
  .map((f) => (f.endsWith(".md") ? `${f}.html` : f))
  .sort();

/** The body of a served path, or null. */
function serve(rel) {
  if (rel.endsWith(".md.html")) {
    const file = path.join(root, rel.slice(0, -5));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) return null;
    const html = md.render(fs.readFileSync(file, "utf8"));
    return {
      type: TYPES[".html"],
      body: `<!doctype html><html><head><meta charset="utf-8"><title>${rel}</title></head><body>\n${html}</body></html>`,
    };
  }
  const file = path.join(root, rel);
  if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    return null;
  }
  return {
    type: TYPES[path.extname(file)] ?? "application/octet-stream",
    body: fs.readFileSync(file),
  };
}

// In every frame, before any of the page's own text runs.
const PROBE = `(() => {
  const report = window.__gonogoReport;
  if (!report) return;
  for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
    window[name] = function (...a) { report(name, String(a[0]).slice(0, 120)); return null; };
  }
  document.addEventListener("securitypolicyviolation", (e) => {
    report("csp " + e.effectiveDirective, (e.sample || e.blockedURI || "").slice(0, 120));
  }, true);
})();`;

// Run in the page after load: the parsed DOM audited, then handlers provoked.
function poke(origin) {
  const found = [];
  if (location.origin !== origin) return found; // navigated away: reported as such
  const bad = /^(javascript|vbscript):|^data:text\/html/i;
  const short = (el) => el.outerHTML.slice(0, 160);
  const all = [...document.querySelectorAll("*")];
  for (const el of all) {
    const tag = el.localName;
    if (["script", "iframe", "frame", "frameset", "object", "embed", "svg", "math", "base", "portal"].includes(tag)) {
      found.push(["dom element", short(el)]);
    }
    if (tag === "meta" && el.hasAttribute("http-equiv")) found.push(["dom element", short(el)]);
    for (const a of el.attributes) {
      const v = a.value.replace(/[\u0000-\u0020]/g, "");
      if (a.name.startsWith("on")) found.push(["dom handler", short(el)]);
      else if (["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster"].includes(a.name) && (bad.test(v) || a.name === "srcdoc")) {
        found.push(["dom url", short(el)]);
      }
    }
  }
  for (const el of all) {
    for (const a of [...el.attributes]) {
      if (a.name.startsWith("on")) {
        try { el.dispatchEvent(new Event(a.name.slice(2))); } catch {}
      }
    }
    try { el.dispatchEvent(new MouseEvent("mouseover", { bubbles: false })); } catch {}
  }
  const focusable = "a, area, input, button, select, textarea, iframe, summary, [tabindex], [contenteditable], [autofocus]";
  for (const el of document.querySelectorAll(focusable)) {
    try { el.focus(); } catch {}
  }
  const clicked = [];
  for (const a of document.querySelectorAll("a[href], area[href]")) {
    if (!/^(https?|file|mailto):$/.test(a.protocol)) {
      clicked.push(a.getAttribute("href").slice(0, 80));
      try { a.click(); } catch {}
    }
  }
  return { found, clicked };
}

const findings = new Map(); // page -> [kind, detail][]
const note = (page, kind, detail) => {
  if (!findings.has(page)) findings.set(page, []);
  const list = findings.get(page);
  if (list.length < 20 && !list.some(([k, d]) => k === kind && d === detail)) list.push([kind, detail]);
};

// The pages come from a local server, with the policy as a header; every other host
// resolves to nothing (--host-resolver-rules), so no request leaves the machine.
const server = http.createServer((req, res) => {
  let rel = null;
  try {
    rel = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "");
  } catch {} // a malformed escape in a payload's relative URL: not found
  const got = rel === null ? null : serve(rel);
  if (!got) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { "content-type": got.type, "content-security-policy-report-only": CSP });
  res.end(got.body);
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

const started = Date.now();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
  ],
});
try {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const current = new Map(); // Page -> the site page it shows
  const pageOf = (p) => current.get(p) ?? "(unknown page)";
  await context.exposeBinding("__gonogoReport", ({ page }, kind, detail) => {
    note(pageOf(page), kind, detail);
  });
  await context.addInitScript(PROBE);
  context.on("request", (req) => {
    const url = req.url();
    if (url.startsWith(`${ORIGIN}/`) || !/^(https?|wss?):/.test(url)) return;
    if (req.isNavigationRequest() || ["script", "xhr", "fetch", "websocket", "eventsource"].includes(req.resourceType())) {
      let page = null;
      try { page = req.frame().page(); } catch {}
      note(page ? pageOf(page) : "(unknown page)", `request ${req.resourceType()}`, url.slice(0, 160));
    }
  });

  const HUNG = new Error("hung");
  const bounded = (promise, ms) => {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => { timer = setTimeout(() => reject(HUNG), ms); }),
    ]).finally(() => clearTimeout(timer));
  };
  // One fresh tab a page: nothing one page starts (a late navigation, a crash) can
  // land on another.
  const visit = async (rel) => {
    const page = await context.newPage();
    const url = `${ORIGIN}/${rel}`;
    current.set(page, rel);
    let clicked = [];
    page.on("dialog", (d) => {
      note(rel, "dialog", `${d.type()}: ${d.message().slice(0, 120)}`);
      d.dismiss().catch(() => {});
    });
    page.on("framenavigated", (f) => {
      // An aborted request (reported as such) shows chrome-error://; a link the browser
      // itself refuses to follow (a malformed URL) shows about:blank#blocked, in some
      // Chromium builds only. Neither left the page: no finding, whatever the build.
      const refused = f.url().startsWith("chrome-error:") || f.url() === "about:blank#blocked";
      if (f === page.mainFrame() && f.url() !== url && !refused) {
        note(rel, "navigation", `${f.url()}${clicked.length ? ` (links clicked: ${clicked.join(" ")})` : ""}`);
      }
    });
    page.on("popup", (p) => {
      note(rel, "popup", p.url());
      p.close().catch(() => {});
    });
    page.on("crash", () => note(rel, "crash", "the tab crashed"));
    try {
      // Bounded: a tab that stops answering (seen once in CI: the whole check hung) is
      // tried again in a fresh tab by the caller, not waited on forever.
      await bounded(
        (async () => {
          await page.goto(url, { waitUntil: "load", timeout: 30000 });
          await page.waitForTimeout(30);
          const got = await page.evaluate(poke, ORIGIN);
          clicked = got.clicked;
          for (const [kind, detail] of got.found) note(rel, kind, detail);
          await page.waitForTimeout(120);
        })(),
        60000,
      );
    } catch (e) {
      if (e === HUNG) throw e;
      // A navigation the page started is reported above; anything else is a finding.
      if (!/Execution context was destroyed|interrupted by another navigation/.test(e.message)) {
        note(rel, "error", String(e.message).split("\n")[0]);
      }
    } finally {
      current.delete(page);
      await bounded(page.close(), 10000).catch(() => {});
    }
  };
  // A page that hangs twice is a finding; once is Chromium's, and it is visited again.
  const visitOnce = async (rel) => {
    try {
      await visit(rel);
    } catch (e) {
      if (e !== HUNG) throw e;
      try {
        await visit(rel);
      } catch (e2) {
        if (e2 !== HUNG) throw e2;
        note(rel, "error", "the page did not finish loading and running within 60 s, twice");
      }
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < pages.length) await visitOnce(pages[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, jobs) }, worker));
} finally {
  await browser.close();
  server.close();
}

const secs = ((Date.now() - started) / 1000).toFixed(1);
if (findings.size) {
  for (const [page, list] of [...findings].sort()) {
    for (const [kind, detail] of list) console.log(`${page}: ${kind}: ${detail}`);
  }
  console.log(`${findings.size} of ${pages.length} pages ran or carried script (${secs} s)`);
  process.exit(1);
}
console.log(`${pages.length} pages, nothing ran (${secs} s)`);
