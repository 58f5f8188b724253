// Runs axe-core (WCAG 2.0/2.1 A and AA rules) on every .html page of a built site in
// headless Chromium, at each width given, and reports every violation.
//
//   node axe.mjs SITE_DIR WIDTH...
//
// Prints one line per violation and element ("WIDTH PAGE RULE: TARGET — HELP"), and
// exits 1 when there is any, 0 otherwise.

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { htmlPages, launch } from "./site.mjs";

const [site, ...widths] = process.argv.slice(2);
if (!site || widths.length === 0) {
  console.error("usage: node axe.mjs SITE_DIR WIDTH...");
  process.exit(2);
}
const axe = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const root = path.resolve(site);
const pages = htmlPages(root);
const browser = await launch();
let bad = 0;
for (const w of widths.map(Number)) {
  // The pages' own Content-Security-Policy would refuse the injected script.
  const context = await browser.newContext({ viewport: { width: w, height: 800 }, bypassCSP: true });
  const page = await context.newPage();
  for (const f of pages) {
    await page.goto(pathToFileURL(f).href);
    await page.addScriptTag({ content: axe });
    const violations = await page.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        resultTypes: ["violations"],
      });
      return r.violations.map((v) => ({
        id: v.id,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(" ")),
      }));
    });
    for (const v of violations) {
      for (const t of v.targets) {
        bad += 1;
        console.log(`${w} ${path.relative(root, f)} ${v.id}: ${t} — ${v.help}`);
      }
    }
  }
  await context.close();
}
await browser.close();
process.exit(bad ? 1 : 0);
