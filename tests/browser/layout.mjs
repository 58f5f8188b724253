// Opens every .html page of a built site in headless Chromium at the widths given and
// reports each page the reader would have to scroll sideways: the page wider than the
// window (a table may scroll inside its own box; the page itself may not).
//
//   node layout.mjs SITE_DIR WIDTH...
//
// Prints one line per page and width that overflows ("WIDTH PAGE scrollWidth"), and
// exits 1 when there is any, 0 otherwise.

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [site, ...widths] = process.argv.slice(2);
if (!site || widths.length === 0) {
  console.error("usage: node layout.mjs SITE_DIR WIDTH...");
  process.exit(2);
}
const root = path.resolve(site);
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}
const pages = walk(root).filter((f) => f.endsWith(".html")).sort();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
let bad = 0;
for (const w of widths.map(Number)) {
  const context = await browser.newContext({ viewport: { width: w, height: 800 } });
  const page = await context.newPage();
  for (const f of pages) {
    await page.goto(pathToFileURL(f).href);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    if (sw > w) {
      bad += 1;
      console.log(`${w} ${path.relative(root, f)} ${sw}`);
    }
  }
  await context.close();
}
await browser.close();
process.exit(bad ? 1 : 0);
