// Opens every .html page of a built site in headless Chromium at the widths given and
// reports each page the reader would have to scroll sideways: the page wider than the
// window (a table may scroll inside its own box; the page itself may not).
//
//   node layout.mjs SITE_DIR WIDTH...
//
// Prints one line per page and width that overflows ("WIDTH PAGE scrollWidth"), and
// exits 1 when there is any, 0 otherwise.

import path from "node:path";
import { pathToFileURL } from "node:url";
import { htmlPages, launch } from "./site.mjs";

const [site, ...widths] = process.argv.slice(2);
if (!site || widths.length === 0) {
  console.error("usage: node layout.mjs SITE_DIR WIDTH...");
  process.exit(2);
}
const root = path.resolve(site);
const pages = htmlPages(root);
const browser = await launch();
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
