// Flows of the support team's known-issue screens (/support/known-issues
// and the staff actions on an issue's details page).

import { base, fixtures, assert, axe, signIn, heading, tabTo, findInPages, refilter, stamp, narrow, mailed } from "../lib.mjs";

async function signOut(page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
}

export default {
  /** A support admin publishes a known issue by keyboard; the tenant's admin says "me too" and gets no staff actions; a support agent posts an update (no Resolve for agents), which reaches the subscriber's mailbox; the admin resolves it and finds it among the resolved issues. */
  async "staff known issues: publish, update e-mailed, resolve"(ctx) {
    assert(fixtures.org && fixtures.admin, "needs the tenant the Go test seeds");
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/known-issues");
    await heading(page, "Known issues");
    const title = "Exports fail " + stamp;
    const form = page.getByRole("form", { name: "Publish a known issue" });
    await form.getByLabel("Title").fill(title);
    await form.getByLabel("Summary (shown in the banner)").fill("CSV exports of large reports fail.");
    await form.getByLabel("Details and workaround").fill("Reports over 1 GB.\nWorkaround: export by month.");
    await form.getByLabel("Analytics Suite", { exact: true }).check();
    await axe(page, "staff known issues");
    await narrow(page, "staff known issues");
    await tabTo(page, "form[aria-labelledby=sk-new] button[type=submit]");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/knownIssues\/[a-z0-9-]+$/);
    const issuePath = new URL(page.url()).pathname;
    await heading(page, title);
    await page.getByText("Workaround: export by month.", { exact: false }).waitFor();
    await page.getByRole("form", { name: "Resolve the issue" }).waitFor();
    await axe(page, "known issue with staff actions");
    await narrow(page, "known issue with staff actions");
    await signOut(page);

    // The tenant's admin follows it ("me too") and gets no staff actions.
    await signIn(page, fixtures.admin, issuePath + "?org=" + fixtures.org);
    await heading(page, title);
    await page.getByRole("button", { name: "Me too" }).click();
    await page.getByText("You get every update of this issue by e-mail.").waitFor();
    assert((await page.getByRole("heading", { name: "Support team" }).count()) === 0, "a customer is offered the staff actions");
    assert((await page.getByRole("button", { name: /^(Post an update|Resolve)$/ }).count()) === 0, "a customer is offered posting or resolving");
    await page.goto(base + "/support/known-issues");
    await heading(page, "Known issues");
    await page.getByText("Only the support team manages known issues.").waitFor();
    assert((await page.getByRole("link", { name: title }).count()) === 0, "a customer sees the staff list");
    await axe(page, "staff known issues as a customer");
    await signOut(page);

    // A support agent posts an update: shown at once, e-mailed to the subscriber.
    await signIn(page, "agent@support.example", issuePath);
    await heading(page, title);
    assert((await page.getByRole("form", { name: "Resolve the issue" }).count()) === 0, "a support agent is offered resolving");
    const body = "A fix is rolling out " + stamp + ".";
    await page.getByLabel("Update (e-mailed to everyone following the issue)").fill(body);
    await page.getByRole("button", { name: "Post an update" }).click();
    await page.getByText("The update is posted and is being e-mailed to the people following the issue.").waitFor();
    await page.locator("ol.thread li", { hasText: body }).waitFor();
    await axe(page, "known issue after an update");
    await mailed(page, fixtures.admin, (m) => JSON.stringify(m).includes(body), "the update");
    await signOut(page);

    // The admin resolves it; it is listed among the resolved ones.
    await signIn(page, "lead@support.example", issuePath);
    await heading(page, title);
    await page.getByLabel("Resolution (the final update, e-mailed too)").fill("Fixed in release " + stamp + ".");
    await page.getByRole("button", { name: "Resolve", exact: true }).click();
    await page.getByText("The issue is resolved; the banner no longer shows it.").waitFor();
    await page.locator(".title-row .badge", { hasText: "Resolved" }).waitFor();
    await page.goto(base + "/support/known-issues");
    await heading(page, "Known issues");
    await refilter(page, "ul.case-list", "State", "RESOLVED");
    await findInPages(page, page.getByRole("link", { name: title }));
    await axe(page, "staff known issues: resolved");
  },
};
