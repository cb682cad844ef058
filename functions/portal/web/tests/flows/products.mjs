// Flows of the products page and of narrow screens.

import { base, fixtures, assert, axe, signIn, heading, shot } from "../lib.mjs";

export default {
  /** The products the organisation bought: package, phone support (Platinum), hours, service levels, and "New case" per product. */
  async "products and support information"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "admin@acme.example", "/organizations/acme/products");
    await heading(page, "Products");
    await page.getByText("Support package: Platinum").waitFor();
    const card = page.locator("section.card", { has: page.getByRole("heading", { name: "CloudDB" }) });
    await card.getByRole("table", { name: "Service levels" }).waitFor();
    assert((await card.locator("a[href^='tel:']").count()) > 0, "Platinum lists phone numbers");
    await axe(page, "products");
    await card.getByRole("link", { name: "New case" }).click();
    await heading(page, "New case");
    assert((await page.getByLabel(/^Product/).inputValue()) === "clouddb", "the product is chosen");
  },

  /** Usable at 360 px: no horizontal scrolling on the case list and the new-case form. */
  async "narrow screen"(ctx) {
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, "admin@acme.example", "/organizations/acme/cases/new");
    await heading(page, "New case");
    await shot(page, "screenshot-new-case-360", 360, 740);
    const paths = ["/organizations/acme/cases/new", "/organizations/acme/cases", "/organizations/acme/products"];
    if (fixtures.caseUrl) paths.push(new URL(fixtures.caseUrl).pathname); // SLA, CC and the thread
    for (const path of paths) {
      await page.goto(base + path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, path + " scrolls horizontally by " + over + " px at 360 px");
    }
    await axe(page, "products at 360 px");
  },
};
