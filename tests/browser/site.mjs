// What the browser scripts share: the files of a built site, and headless Chromium
// started the way layout.mjs and axe.mjs use it.

import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

/** Every file under `dir`, recursively. */
export function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });
}

/** The .html pages under `root`, sorted. */
export function htmlPages(root) {
  return walk(root).filter((f) => f.endsWith(".html")).sort();
}

/** Headless Chromium: CHROMIUM, or Debian's /usr/bin/chromium. */
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}
