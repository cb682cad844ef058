// Flows of the support team's feedback triage screen (/support/feedback).

import { base, fixtures, assert, axe, signIn, heading, tabTo, refilter, stamp, narrow, mailed } from "../lib.mjs";

export default {
  /** A customer sends a problem report (acknowledged by e-mail; no staff screen for them); a support agent finds it filtered by kind and state, marks it triaged by keyboard, and finds it among the triaged ones; the screen in Korean. */
  async "staff feedback triage"(ctx) {
    assert(fixtures.org && fixtures.admin, "needs the tenant the Go test seeds");
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/cases");
    await heading(page, "Cases");
    const message = "Triage me " + stamp + " <i>not italic</i>";
    await page.getByRole("button", { name: "Send feedback" }).click();
    const dialog = page.getByRole("dialog", { name: "Send feedback" });
    await dialog.getByLabel("Problem").check();
    await dialog.getByLabel("Your feedback").fill(message);
    await dialog.getByRole("button", { name: "Send" }).click();
    await dialog.getByText("Thank you. We sent you a confirmation by e-mail.").waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await mailed(page, fixtures.admin, (m) => m.subject === "Thank you for your feedback", "the feedback acknowledgement");
    assert((await page.getByRole("link", { name: "Feedback", exact: true }).count()) === 0, "a customer is offered the triage screen");
    await page.goto(base + "/support/feedback");
    await heading(page, "Feedback from users");
    await page.getByText("Only the support team reads the feedback people send.").waitFor();
    assert((await page.getByRole("button", { name: "Mark as triaged" }).count()) === 0, "a customer is offered triage");
    await axe(page, "feedback triage as a customer");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor(); // signed out before the next page loads

    await signIn(page, "agent@support.example", "/support/feedback");
    await heading(page, "Feedback from users");
    assert((await page.getByRole("combobox", { name: "State" }).inputValue()) === "NEW", "new feedback is shown first");
    await refilter(page, "ul.requests", "Kind", "PROBLEM");
    // Newest first: what was just sent is on the first page.
    const item = page.locator("ul.requests > li", { hasText: "Triage me " + stamp });
    await item.waitFor();
    await item.getByText(message).waitFor(); // as text
    assert((await page.locator("ul.requests i").count()) === 0, "feedback was inserted as HTML");
    await item.getByText("From " + fixtures.admin).waitFor();
    await item.getByText("Organisation " + fixtures.org).waitFor();
    await axe(page, "feedback triage");
    await narrow(page, "feedback triage");
    const button = await item.getByRole("button", { name: "Mark as triaged: the feedback from " + fixtures.admin }).getAttribute("data-feedback");
    await tabTo(page, 'button[data-feedback="' + button + '"]');
    await page.keyboard.press("Enter");
    await page.getByText("The feedback from " + fixtures.admin + " is triaged.").waitFor();
    await item.getByText(/^Triaged by agent@support\.example on /).waitFor();
    await refilter(page, "ul.requests", "State", "TRIAGED");
    await item.waitFor();
    await item.getByText(/^Triaged by agent@support\.example on /).waitFor();
    await axe(page, "feedback triage: triaged");
    // In Korean (saved to the agent's profile, so switched back at once).
    await page.getByRole("button", { name: "한국어" }).click();
    try {
      await heading(page, "사용자 의견");
      await page.getByRole("combobox", { name: "종류" }).waitFor();
      await item.getByText(/^agent@support\.example이\(가\) .+에 분류함$/).waitFor();
      await axe(page, "feedback triage in Korean");
    } finally {
      await page.getByRole("button", { name: "English" }).click();
    }
    await heading(page, "Feedback from users");
  },
};
