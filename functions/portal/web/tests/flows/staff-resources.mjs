// Flows of the support admins' private-resources screen (/support/resources).

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base, fixtures, assert, axe, signIn, heading, tabTo, refilter, stamp, narrow } from "../lib.mjs";

/** A file on disk (the local browser reads it directly). */
function file(name, bytes, fill) {
  const path = join(mkdtempSync(join(tmpdir(), "portal-res-")), name);
  writeFileSync(path, Buffer.alloc(bytes, fill));
  return path;
}

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
}

export default {
  /** A support admin publishes a resource by keyboard (hashed in the browser, sent through the signed upload with progress, READY once size and SHA-256 are verified); the tenant's admin downloads it and gets no staff actions; the download log names them; a new version supersedes it; the new version is withdrawn. */
  async "staff resources: publish, download log, new version, withdraw"(ctx) {
    assert(fixtures.org && fixtures.admin, "needs the tenant the Go test seeds");
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/resources");
    await heading(page, "Private resources");
    const form = page.getByRole("form", { name: "Publish a resource" });
    const title = "Staff connector " + stamp;
    const v1 = "1.0-" + stamp;
    // Over one 4 MiB hashing slice and not a multiple of 64 bytes.
    const name1 = "connector-" + stamp + ".bin";
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Version").fill(v1);
    await form.getByLabel("Description").fill("For on-premises data.\n<b>not bold</b>");
    await form.getByLabel("Kind").selectOption("DOWNLOAD");
    await form.locator("input[name=productIds][value=analytics]").check(); // by id: other suites add products and packages with the demo names
    await form.locator("input[name=packageIds][value=PLATINUM]").check();
    await form.getByLabel("File", { exact: true }).setInputFiles(file(name1, (5 << 20) + 37, "connector\n"));
    await axe(page, "staff resources: publish form");
    await tabTo(page, "#sr-form button[type=submit]");
    await page.keyboard.press("Enter");
    await page.getByText(title + " " + v1 + " is ready: size and SHA-256 verified.").waitFor({ timeout: 90000 });
    assert((await form.getByLabel("Uploading " + name1).evaluate((p) => p.value)) === 1, "the upload's progress bar reached the end");
    const card1 = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: title + " " + v1 }) });
    await card1.getByText("Ready", { exact: true }).waitFor();
    await card1.getByText("For on-premises data.").waitFor();
    assert((await page.locator("ul.requests b").count()) === 0, "the description was inserted as HTML");
    await refilter(page, "ul.requests", "Products", "analytics");
    await card1.waitFor();
    await axe(page, "staff resources: list");
    await signOut(page);

    // The tenant's admin downloads it and gets none of the staff actions.
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/resources");
    await heading(page, "Downloads and documents");
    const mine = page.locator("li.card", { has: page.getByRole("heading", { name: title + " " + v1 }) });
    const dl = page.waitForEvent("download");
    await mine.getByRole("button", { name: "Download " + name1 }).click();
    assert((await dl).suggestedFilename() === name1, "the download keeps the file name");
    assert((await page.getByRole("link", { name: "Publish resources" }).count()) === 0, "a customer is offered the staff screen");
    await page.goto(base + "/support/resources");
    await heading(page, "Private resources");
    await page.getByText("Only support admins publish private resources.").waitFor();
    assert((await page.getByRole("button", { name: "Publish" }).count()) === 0, "a customer is offered publishing");
    await axe(page, "staff resources as a customer");
    await signOut(page);

    // The download log, then a new version that supersedes the first.
    await signIn(page, "lead@support.example", "/support/resources");
    await heading(page, "Private resources");
    await card1.getByRole("button", { name: "Download log" }).click();
    const log = card1.getByRole("table", { name: "Downloads of " + title + " " + v1 });
    await log.getByRole("cell", { name: fixtures.admin }).waitFor();
    await log.getByRole("cell", { name: fixtures.org, exact: true }).waitFor();
    await axe(page, "staff resources: download log");
    await narrow(page, "staff resources with the download log");
    await card1.getByRole("button", { name: "New version of " + title + " " + v1 }).click();
    const next = page.getByRole("form", { name: "New version of " + title });
    assert((await next.getByLabel("Title").inputValue()) === title, "the new version starts from the old one's title");
    assert(await next.getByLabel("Analytics Suite", { exact: true }).isChecked(), "the new version keeps the products");
    const v2 = "2.0-" + stamp;
    const name2 = "connector-" + stamp + "-2.bin";
    await next.getByLabel("Version").fill(v2);
    await next.getByLabel("File", { exact: true }).setInputFiles(file(name2, 70000, "v2\n"));
    await next.getByRole("button", { name: "Publish" }).click();
    await page.getByText(title + " " + v2 + " is ready: size and SHA-256 verified.").waitFor({ timeout: 90000 });
    const card2 = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: title + " " + v2 }) });
    await card2.getByText(/^Replaces /).waitFor();
    await card1.getByText(/^Replaced by /).waitFor();

    // Withdrawn for good, after a confirmation.
    await card2.getByRole("button", { name: "Withdraw " + title + " " + v2 }).click();
    await card2.getByRole("button", { name: "Withdraw for good" }).click();
    await page.getByText(title + " " + v2 + " was withdrawn.").waitFor();
    await card2.getByText("Withdrawn", { exact: true }).waitFor();
    assert((await card2.getByRole("button", { name: /^Withdraw/ }).count()) === 0, "a withdrawn resource offers withdrawing again");
    await axe(page, "staff resources after withdrawing");
  },
};
