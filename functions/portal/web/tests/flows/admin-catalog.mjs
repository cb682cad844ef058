// Flows of the catalogue administration (packages, products,
// classifications) and of changing an onboarded organisation, as the demo
// support admin; the admin screens refused to a support agent and a
// customer admin.

import { base, stamp, assert, axe, signIn, heading, tabTo, findInPages } from "../lib.mjs";

const nav = (page) => page.getByRole("navigation", { name: "Main" });

/** narrow opens path at 360 px and fails when the page scrolls sideways. */
export async function narrow(page, path, title) {
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(base + path);
  await heading(page, title);
  await page.locator(".loading").waitFor({ state: "detached" });
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(over <= 0, path + " scrolls horizontally by " + over + " px at 360 px");
  await axe(page, path + " at 360 px");
}

export default {
  /** A support admin creates a package (an API validation error shown beside its field first), edits it, deactivates and reactivates it. */
  async "catalogue: packages"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/queue");
    await heading(page, "Support queue");
    await nav(page).getByRole("link", { name: "Catalogue" }).click();
    await heading(page, "Catalogue");
    await page.getByRole("heading", { name: "Support packages" }).waitFor();
    // Other suites add packages and products (some with the same names) to this stack: items are found by their id.
    await page.locator("ul.requests > li", { has: page.locator("a[href='/support/catalog/packages/PLATINUM']") }).getByText("On sale").waitFor();
    await axe(page, "catalogue");
    // Keyboard: the main action of the list is reached with Tab and opened with Enter.
    await tabTo(page, "a[href='/support/catalog/new/package']");
    await page.keyboard.press("Enter");
    await heading(page, "New package");
    const id = "PA" + stamp.toUpperCase();
    const name = "Pkg " + stamp;
    const form = page.getByRole("form", { name: "New package" });
    await form.getByLabel(/^Package ID/).fill(id);
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Escalation (customers may escalate a case)").check();
    await form.getByLabel("P1 – unusable: first response (minutes)").fill("60");
    await form.getByLabel("P1 – unusable: next response (minutes)").fill("240");
    await form.getByLabel("Reminder after (days)").fill("5");
    await form.getByLabel("Close after (days)").fill("3"); // before the reminder: the API refuses it
    await form.getByRole("button", { name: "Create package" }).click();
    await form.getByRole("alert").getByText("Please correct the fields marked below.").waitFor();
    const close = form.getByLabel("Close after (days)");
    assert((await close.getAttribute("aria-invalid")) === "true", "the refused field is marked invalid");
    await form.locator(".field-error", { hasText: "must come after the reminder" }).waitFor();
    assert((await close.inputValue()) === "3", "what was typed is kept after the refusal");
    await axe(page, "new package with a validation error");
    await close.fill("10");
    // Enter in a field submits the form (keyboard).
    await form.getByLabel("Name", { exact: true }).press("Enter");
    await heading(page, "Package: " + name);
    await page.getByText(name + " was created.").waitFor();
    await page.reload();
    await heading(page, "Package: " + name);
    const edit = page.getByRole("form", { name: "Package: " + name });
    assert((await edit.getByLabel("P1 – unusable: first response (minutes)").inputValue()) === "60", "service level kept");
    assert(await edit.getByLabel("Escalation (customers may escalate a case)").isChecked(), "escalation kept");
    assert(!(await edit.getByLabel("Phone support", { exact: true }).isChecked()), "no phone support");
    assert((await edit.getByLabel("Close after (days)").inputValue()) === "10", "stale-case window kept");
    await edit.getByLabel("New cases: per person").fill("7");
    await edit.getByLabel("Phone support", { exact: true }).check();
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Saved.").waitFor();
    await page.reload();
    await heading(page, "Package: " + name);
    assert((await page.getByLabel("New cases: per person").inputValue()) === "7", "rate limit kept");
    assert(await page.getByLabel("Phone support", { exact: true }).isChecked(), "phone support kept");
    await axe(page, "package edit");
    await page.getByRole("button", { name: "Deactivate " + name }).click();
    await page.getByText(name + " is deactivated").waitFor();
    await page.locator(".title-row").getByText("Deactivated", { exact: true }).waitFor();
    await page.getByRole("link", { name: "Back to the catalogue" }).click();
    await heading(page, "Catalogue");
    const card = page.locator("ul.requests > li", { has: page.getByRole("link", { name, exact: true }) });
    await card.getByText("Deactivated", { exact: true }).waitFor();
    await card.getByRole("button", { name: "Reactivate " + name }).click();
    await page.getByText(name + " is on sale again.").waitFor();
    await card.getByText("On sale", { exact: true }).waitFor();
    // Korean: the screen's strings follow the switch (then back, for the other flows of this user).
    await page.getByRole("button", { name: "한국어" }).click();
    await heading(page, "카탈로그");
    await page.locator("a[href='/support/catalog/new/package']", { hasText: "새 패키지" }).waitFor();
    await axe(page, "catalogue in Korean");
    await page.getByRole("button", { name: "English" }).click();
    await heading(page, "Catalogue");
  },

  /** A support admin creates a product (support hours with a time zone, phone numbers), fixes a refused phone number, manages its classifications, deactivates and reactivates it. */
  async "catalogue: products and classifications"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/catalog");
    await heading(page, "Catalogue");
    await page.locator("a[href='/support/catalog/new/product']").click();
    await heading(page, "New product");
    const id = "pa-" + stamp;
    const name = "Prod " + stamp;
    const form = page.getByRole("form", { name: "New product" });
    await form.getByLabel(/^Product ID/).fill(id);
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("Set days and hours").check();
    await form.getByLabel("First day").selectOption("Mon");
    await form.getByLabel("Last day").selectOption("Fri");
    await form.getByLabel("Opens").fill("08:00");
    await form.getByLabel("Closes").fill("20:00");
    await form.getByLabel(/^Time zone/).fill("Asia/Seoul");
    await form.getByRole("button", { name: "Add a phone number" }).click();
    await form.getByLabel("Region 1 (e.g. KR)").fill("KR");
    await form.getByLabel("Number 1").fill("+82 2-555-0100");
    await form.getByRole("button", { name: "Add a phone number" }).click();
    await form.getByLabel("Region 2 (e.g. KR)").fill("US");
    await form.getByLabel("Number 2").fill("call us");
    await axe(page, "new product");
    await form.getByRole("button", { name: "Create product" }).click();
    await form.getByRole("alert").getByText("Please correct the fields marked below.").waitFor();
    assert((await form.getByLabel("Number 2").getAttribute("aria-invalid")) === "true", "the refused number is marked");
    await form.locator(".field-error", { hasText: "a phone number like" }).waitFor();
    await form.getByLabel("Number 2").fill("+1 650-555-0100");
    await form.getByRole("button", { name: "Create product" }).click();
    await heading(page, "Product: " + name);
    await page.getByText(name + " was created.").waitFor();
    await page.reload();
    await heading(page, "Product: " + name);
    const edit = page.getByRole("form", { name: "Product: " + name });
    assert((await edit.getByLabel("Opens").inputValue()) === "08:00", "opening time kept");
    assert((await edit.getByLabel(/^Time zone/).inputValue()) === "Asia/Seoul", "time zone kept");
    assert((await edit.getByLabel("Number 2").inputValue()) === "+1 650-555-0100", "phone numbers kept");
    await edit.getByRole("button", { name: "Remove phone number 2" }).click();
    await edit.getByLabel("Around the clock (24x7)").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Saved.").first().waitFor();
    assert((await page.getByLabel(/^Number \d/).count()) === 1, "one phone number left");
    // Classifications.
    const classes = page.locator("section.card", { has: page.getByRole("heading", { name: "Classifications" }) });
    await classes.getByText("No classifications yet.").waitFor();
    const add = classes.getByRole("form", { name: "Add classification" });
    await add.getByLabel(/^Classification ID/).fill(id + "-net");
    await add.getByLabel(/^Component name/).fill("Network");
    await add.getByRole("button", { name: "Add classification" }).click();
    await classes.getByText(name + " > Network was added.").waitFor();
    const item = classes.locator("li", { has: page.getByRole("heading", { name: new RegExp("^" + name + " > Network") }) });
    await item.getByText("Offered", { exact: true }).waitFor();
    await axe(page, "product with a classification");
    // The same id again: the API's refusal beside the ID field.
    await add.getByLabel(/^Classification ID/).fill(id + "-net");
    await add.getByLabel(/^Component name/).fill("Other");
    await add.getByRole("button", { name: "Add classification" }).click();
    await add.getByRole("alert").waitFor();
    assert((await add.getByLabel(/^Classification ID/).getAttribute("aria-invalid")) === "true", "the taken id is marked");
    await item.getByLabel("Name of " + id + "-net").fill("Networking");
    await item.getByRole("button", { name: "Save name of " + id + "-net" }).click();
    const renamed = classes.locator("li", { has: page.getByRole("heading", { name: new RegExp("^" + name + " > Networking") }) });
    await renamed.waitFor();
    await renamed.getByRole("button", { name: "Deactivate " + name + " > Networking" }).click();
    await classes.getByText("is no longer offered when filing a case").waitFor();
    await renamed.getByText("Not offered", { exact: true }).waitFor();
    await renamed.getByRole("button", { name: "Reactivate " + name + " > Networking" }).click();
    await renamed.getByText("Offered", { exact: true }).waitFor();
    // The product itself.
    await page.getByRole("button", { name: "Deactivate " + name, exact: true }).click();
    await page.getByText(name + " is deactivated").waitFor();
    await page.getByRole("button", { name: "Reactivate " + name, exact: true }).click();
    await page.getByText(name + " is on sale again.").waitFor();
    await page.getByRole("link", { name: "Back to the catalogue" }).click();
    await heading(page, "Catalogue");
    const card = page.locator("ul.requests > li", { has: page.getByRole("link", { name, exact: true }) });
    await card.getByText("Support hours: 24x7 · 1 of 1 classifications offered").waitFor();
    await narrow(page, "/support/catalog", "Catalogue");
    await narrow(page, "/support/catalog/products/" + id, "Product: " + name);
    await narrow(page, "/support/catalog/packages/GOLD", "Package: Gold");
  },

  /** A support admin changes an onboarded customer: name, domains (a refused domain first), package and products. */
  async "organisation changed by a support admin"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/organizations");
    await heading(page, "Organisations");
    const id = "aaa-oe-" + stamp;
    const name = "Changed " + stamp;
    const form = page.getByRole("form", { name: "Onboard an organisation" });
    await form.getByLabel("Customer").check();
    await form.getByLabel(/^ID/).fill(id);
    await form.getByLabel("Name").fill("Before " + stamp);
    await form.getByLabel(/^Verified domains/).fill(id + ".example");
    // By id: other suites add packages and products with the demo's names.
    await form.getByLabel("Support package").selectOption("SILVER");
    await form.locator("input[name=productIds][value=clouddb]").check();
    await form.getByLabel(/^First organisation admins/).fill("admin@" + id + ".example");
    await form.getByRole("button", { name: "Create organisation" }).click();
    await page.getByText("Before " + stamp + " was created.", { exact: false }).waitFor();
    const item = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: new RegExp("^Before " + stamp) }) });
    await findInPages(page, item);
    // Keyboard: the change form opens from its summary with Enter.
    await item.locator("summary").focus();
    await page.keyboard.press("Enter");
    const edit = item.getByRole("form", { name: "Change Before " + stamp });
    await edit.getByLabel("Name", { exact: true }).fill(name);
    await edit.getByLabel(/^Verified domains/).fill(id + ".example, not a domain");
    await edit.getByRole("button", { name: "Save changes to Before " + stamp }).click();
    await edit.getByRole("alert").waitFor();
    assert((await edit.getByLabel(/^Verified domains/).getAttribute("aria-invalid")) === "true", "the refused domains are marked");
    await axe(page, "organisation change with a validation error");
    await edit.getByLabel(/^Verified domains/).fill(id + ".example, " + id + "-kr.example");
    await edit.getByLabel("Support package").selectOption("GOLD");
    await edit.locator("input[name=productIds][value=clouddb]").uncheck();
    await edit.locator("input[name=productIds][value=analytics]").check();
    await edit.getByRole("button", { name: "Save changes to Before " + stamp }).click();
    await page.getByText(name + " was changed.").waitFor();
    const changed = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: new RegExp("^" + name) }) });
    await findInPages(page, changed);
    const meta = await changed.locator("p.meta").first().textContent();
    assert(meta.includes("Gold") && meta.includes(id + "-kr.example") && meta.includes("Analytics Suite") && !meta.includes("CloudDB"), "package, domains and products changed: " + meta);
  },
};
