// Shared helpers of the portal's browser tests (run.mjs and flows/*.mjs):
// the stack's base URL, the fixtures the Go test seeded, axe-core checks,
// sign-in, keyboard navigation and list helpers.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const base = (process.env.GATEWAY_URL || "http://127.0.0.1:8000").replace(/\/$/, "");
export const fixtures = JSON.parse(process.env.PORTAL_FIXTURES || "{}");
export const password = "supportcenter";
export const metrics = {};
export const stamp = Date.now().toString(36);

export function assert(cond, msg) {
  if (!cond) throw new Error("assertion failed: " + msg);
}

/** axe checks the current page; serious and critical violations fail the
 * test when it ends (so one run shows both the flow's and axe's findings). */
export const axeFindings = [];
export async function axe(page, label) {
  // The CSP forbids inline script and eval, so axe's source goes in as a
  // DevTools-protocol evaluation (not subject to the page's CSP), rather
  // than a <script> tag.
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of bad) axeFindings.push(label + ": " + v.id + " (" + v.impact + "): " + v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", "));
}

export async function signIn(page, email, path = "/") {
  await page.goto(base + path);
  await page.getByLabel(/E-mail address|이메일 주소/).fill(email);
  await page.getByLabel(/^(Password|비밀번호)$/).fill(password);
  await axe(page, "sign-in page");
  await page.getByRole("button", { name: /^(Sign in|로그인)$/ }).click();
}

/** tabTo presses Tab until the focused element matches sel (keyboard-only
 * use: everything must be reachable in tab order). */
export async function tabTo(page, sel, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), sel)) return;
  }
  throw new Error("Tab never reached " + sel);
}

/** findInPages waits for the list to load and follows "Next page" until
 * item is on the page (other suites may add entries to a shared queue). */
export async function findInPages(page, item, pages = 20) {
  for (let i = 0; i < pages; i++) {
    await page.locator(".loading").waitFor({ state: "detached" });
    // A list re-read after a change may not have started loading yet: give
    // the item a moment on each page before paging on.
    if (await item.first().waitFor({ timeout: 2000 }).then(() => true, () => false)) return;
    const next = page.getByRole("button", { name: "Next page" });
    if (!(await next.count())) break;
    await next.click();
  }
  throw new Error("not found in " + pages + " pages: " + item);
}

/** apply submits a list's filters and waits until the list shown before is
 * gone (it is replaced once the filtered page arrives), so nothing reads
 * the old page. */
export async function apply(page) {
  const old = await page.locator("ul.case-list").elementHandle();
  await page.getByRole("button", { name: "Apply" }).click();
  if (old) await page.waitForFunction((el) => !el.isConnected, old);
}

/** The text Intl gives for iso in the test browser's locale and time zone
 * (en-US, Asia/Seoul): what the portal must show. */
export function seoulTime(iso) {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "Asia/Seoul" }).format(new Date(iso));
}

export async function heading(page, text) {
  await page.getByRole("heading", { level: 1, name: text }).waitFor({ timeout: 15000 });
}

/** shot saves the README's screenshot name (functions/portal/<name>.png)
 * when README_SCREENSHOTS names a directory — how they are refreshed (see
 * the README's portal section); otherwise it does nothing. The viewport is
 * set to width × height for the picture and put back after. */
export async function shot(page, name, width = 1200, height = 800) {
  const dir = process.env.README_SCREENSHOTS;
  if (!dir) return;
  const before = page.viewportSize();
  await page.setViewportSize({ width, height });
  await page.evaluate(() => (document.activeElement instanceof HTMLElement && document.activeElement.blur(), window.scrollTo(0, 0)));
  await page.screenshot({ path: dir.replace(/\/$/, "") + "/" + name + ".png" });
  if (before) await page.setViewportSize(before);
}

/** refilter chooses value in the list filter combobox named name and waits
 * until the list shown before (the first element matching list, if any) is
 * gone, so nothing reads the unfiltered page. */
export async function refilter(page, list, name, value) {
  await page.locator(".loading").waitFor({ state: "detached" });
  const old = (await page.locator(list).count()) ? await page.locator(list).first().elementHandle() : null;
  await page.getByRole("combobox", { name }).selectOption(value);
  if (old) await page.waitForFunction((el) => !el.isConnected, old);
  await page.locator(".loading").waitFor({ state: "detached" });
}

/** narrow checks the current page at 360 px wide: no horizontal scrolling. */
export async function narrow(page, label) {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  try {
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(over <= 0, label + " scrolls horizontally by " + over + " px at 360 px");
  } finally {
    if (size) await page.setViewportSize(size);
  }
}

/** mailed waits (up to a minute) until the stack's mail capture holds a
 * message to address that ok accepts; what says the e-mail went. */
export async function mailed(page, address, ok, what) {
  const mail = (process.env.MAIL_URL || "").replace(/\/$/, "");
  assert(mail, "MAIL_URL (the stack's mail capture) is not set");
  for (let i = 0; i < 60; i++) {
    const res = await fetch(mail + "/api/messages?to=" + encodeURIComponent(address));
    assert(res.ok, "mail capture answered " + res.status);
    if (((await res.json()).messages || []).some(ok)) return;
    await page.waitForTimeout(1000);
  }
  throw new Error(what + " never reached " + address + " in the mail capture");
}
