// Browser tests of the portal: Debian's Chromium driven by playwright-core,
// against a running stack (GATEWAY_URL). Run by the Go test
// functions/portal/browser_integration_test.go inside `make test`, which
// seeds the tenants named in PORTAL_FIXTURES; by hand:
//   GATEWAY_URL=http://127.0.0.1:8000 PORTAL_FIXTURES='{…}' node tests/run.mjs [name…]
// or only some flows through the Go test: PORTAL_TESTS="escalate;…" (see the README).
// The flows are the tests below and those each file in tests/flows/ exports
// as its default object (name → async (ctx) => …). One test per flow, each in a fresh browser context; axe-core must find no
// serious or critical violation on any page a test visits; a failing test
// leaves a screenshot in $SCREENSHOT_DIR (default test-results/).
// Measurements (first-load compressed bytes, navigation → case list visible)
// are written to $METRICS_FILE when set.

import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { base, fixtures, password, metrics, stamp, assert, axeFindings, axe, signIn, tabTo, findInPages, apply, heading, seoulTime, shot } from "./lib.mjs";

const shots = process.env.SCREENSHOT_DIR || "test-results";

const tests = {
  /** Sign in as a customer admin; the case list of the organisation shows; first-load size and time. */
  async "sign-in and case list"(ctx) {
    const page = await ctx.newPage();
    const sizes = [];
    page.on("response", async (r) => {
      const u = new URL(r.url());
      if (u.origin === base && (u.pathname === "/organizations/acme/cases" || u.pathname.startsWith("/assets/") || u.pathname === "/config.json")) {
        const h = await r.allHeaders();
        sizes.push({ path: u.pathname, bytes: Number(h["content-length"] || 0), encoding: h["content-encoding"] || "" });
      }
    });
    await signIn(page, "admin@acme.example", "/organizations/acme/cases");
    await heading(page, "Cases");
    await page.getByRole("combobox", { name: "Organisation" }).waitFor();
    await page.waitForFunction(() => document.title === "Cases – Support Center");
    await axe(page, "case list");
    // A second navigation with the session in IndexedDB: navigation → list visible.
    sizes.length = 0;
    await page.goto(base + "/organizations/acme/cases");
    await heading(page, "Cases");
    await page.waitForFunction(() => performance.getEntriesByName("case-list-visible").length > 0);
    metrics.caseListVisibleMs = Math.round(await page.evaluate(() => performance.getEntriesByName("case-list-visible")[0].startTime));
    metrics.firstLoad = sizes.filter((s) => s.path !== "/config.json" || true);
    metrics.firstLoadCompressedBytes = sizes.reduce((a, s) => a + s.bytes, 0);
    assert(sizes.some((s) => s.path.endsWith(".js") && s.encoding === "gzip"), "the script is served compressed");
  },

  /** A member files a case with product → classification, priority, intake fields and an attachment, then comments. */
  async "new case, attachment and comment"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "dev@acme.example", "/organizations/acme/cases/new");
    await heading(page, "New case");
    await page.getByLabel(/^Product/).selectOption("clouddb");
    await page.getByLabel(/^Classification/).selectOption("clouddb-connectivity");
    await page.getByLabel(/^Priority/).selectOption("P2");
    const title = "Browser test " + stamp + " <b>not bold</b>";
    await page.getByLabel(/^Title/).fill(title);
    await page.getByLabel(/^Description/).fill("Connections drop every few minutes.\n<script>alert(1)</script>");
    await page.getByLabel("Version").fill("14.2");
    await page.getByLabel("Stack trace or log lines").fill("ERROR: connection reset by peer");
    await page.getByLabel("Users affected (%)").fill("25");
    await page.getByLabel("How users are affected").fill("Checkout fails");
    fixtures.cc = "cc-" + stamp + "@acme.example";
    await page.getByLabel(/^CC:/).fill(fixtures.cc);
    await page.getByLabel("Attach files").setInputFiles({ name: "log-" + stamp + ".txt", mimeType: "text/plain", buffer: Buffer.from("line one\nline two\n") });
    await axe(page, "new-case form");
    await page.getByRole("button", { name: "Create case" }).click();
    await page.waitForURL(/\/organizations\/acme\/cases\/\d+$/, { timeout: 20000 });
    await heading(page, title); // rendered as text, not as HTML
    assert((await page.locator("b", { hasText: "not bold" }).count()) === 0, "user content was inserted as HTML");
    fixtures.caseUrl = page.url();
    await page.getByText("ERROR: connection reset by peer").waitFor();
    await page.locator("section.cc").getByText(fixtures.cc).waitFor(); // CC from the form
    // The attachment is listed once finalize-upload has checked it.
    for (let i = 0; i < 30; i++) {
      if (await page.getByRole("button", { name: "Download log-" + stamp + ".txt" }).count()) break;
      await page.waitForTimeout(1000);
      await page.reload();
      await heading(page, title);
    }
    const dl = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download log-" + stamp + ".txt" }).click();
    const file = await dl;
    assert(file.suggestedFilename() === "log-" + stamp + ".txt", "download keeps the filename");
    await page.getByLabel("Add a comment").fill("It happens again at 10:00 UTC.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.locator(".comment", { hasText: "It happens again at 10:00 UTC." }).waitFor();
    await axe(page, "case page");
  },

  /** A file over the 32 MB media-upload limit goes straight to Cloud Storage through a signed upload session, with progress. */
  async "large attachment through the upload session"(ctx) {
    assert(fixtures.caseUrl, "needs the case of the previous test");
    const page = await ctx.newPage();
    await signIn(page, "dev@acme.example", new URL(fixtures.caseUrl).pathname);
    const name = "big-" + stamp + ".log";
    // A file on disk: the local browser reads it directly (a 33 MB buffer
    // would go through the DevTools protocol).
    const path = join(mkdtempSync(join(tmpdir(), "portal-")), name);
    writeFileSync(path, Buffer.alloc(33 * 1024 * 1024, "log line\n"));
    await page.getByLabel("Attach files").setInputFiles(path);
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    await page.getByText("Uploaded " + name).waitFor({ timeout: 60000 });
    assert((await page.locator("progress").evaluate((p) => p.value)) === 1, "the progress bar reached the end");
    for (let i = 0; i < 30; i++) {
      if (await page.getByRole("button", { name: "Download " + name }).count()) return;
      await page.waitForTimeout(1000);
      await page.reload();
      await page.getByRole("heading", { level: 1 }).waitFor();
    }
    throw new Error(name + " never became ready");
  },

  /** CC on the case page, by keyboard: add an address, kept after a reload, remove another. */
  async "CC on the case page"(ctx) {
    assert(fixtures.caseUrl && fixtures.cc, "needs the case of the new-case test");
    const page = await ctx.newPage();
    const casePath = new URL(fixtures.caseUrl).pathname;
    await signIn(page, "dev@acme.example", casePath);
    const list = page.locator("section.cc").getByRole("list", { name: "CC" });
    await list.getByText(fixtures.cc).waitFor();
    const second = "ops-" + stamp + "@acme.example";
    await tabTo(page, "input[name=cc]");
    await page.keyboard.type(second);
    await page.keyboard.press("Enter");
    await list.getByText(second).waitFor();
    await axe(page, "case page with CC");
    await page.reload();
    await list.getByText(second).waitFor(); // stored, not just shown
    await tabTo(page, 'button[aria-label="Remove ' + fixtures.cc + '"]');
    await page.keyboard.press("Enter");
    await list.getByText(fixtures.cc).waitFor({ state: "detached" });
    await list.getByText(second).waitFor();
  },

  /** Escalation is offered to a Platinum customer, with reason and justification. */
  async "escalate"(ctx) {
    assert(fixtures.caseUrl, "needs the case of the previous test");
    const page = await ctx.newPage();
    await signIn(page, "dev@acme.example", new URL(fixtures.caseUrl).pathname);
    await page.getByRole("button", { name: "Escalate" }).click();
    await page.getByLabel("Reason").selectOption("BUSINESS_IMPACT");
    await page.getByLabel("Justification").fill("Checkout is down for a quarter of our users.");
    await axe(page, "escalation form");
    await page.getByRole("form", { name: "Escalate" }).getByRole("button", { name: "Escalate" }).click();
    await page.getByText("Escalated — Business impact").waitFor();
  },

  /** The support agent finds the case in the queue, answers and changes its state; the customer sees the answer marked as support. */
  async "support queue and answer"(ctx) {
    assert(fixtures.caseUrl, "needs the case of the previous test");
    const page = await ctx.newPage();
    await signIn(page, "agent@support.example", "/support/queue");
    await heading(page, "Support queue");
    await axe(page, "support queue");
    const casePath = new URL(fixtures.caseUrl).pathname;
    // Most urgent first: the case's first-response clock runs, on track.
    await page.getByLabel("Escalated only").check();
    await page.getByLabel("Order").selectOption("sla.nextDueTime");
    await apply(page);
    const row = page.getByRole("list", { name: "Support queue" }).locator("li", { has: page.locator('a[href="' + casePath + '"]') });
    await findInPages(page, row);
    await row.getByText("On track", { exact: true }).waitFor();
    await row.getByText(/^response due /).waitFor();
    await shot(page, "screenshot-support-queue");
    await page.goto(base + casePath);
    await page.locator(".sla").getByText(/^due by /).waitFor(); // the first-response clock runs
    await page.getByLabel("Add a comment").fill("We are looking at the connection pool settings.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.locator(".comment.support", { hasText: "connection pool" }).waitFor();
    await page.getByRole("combobox", { name: "State" }).selectOption("ACTION_REQUIRED");
    await page.getByRole("button", { name: "Change state" }).click();
    await page.locator(".facts").getByText("Waiting for you").waitFor();
    await axe(page, "case page as support");
    const customer = await ctx.browser().newContext();
    try {
      const p2 = await customer.newPage();
      await signIn(p2, "admin@acme.example", casePath);
      const c = p2.locator(".comment.support", { hasText: "connection pool" });
      await c.waitFor();
      assert((await c.getByText("Support team").count()) === 1, "support comment is marked");
      await p2.locator(".sla").getByText(/^answered /).waitFor(); // the customer sees the clock stopped
      await shot(p2, "screenshot-case");
    } finally {
      await customer.close();
    }
  },

  /** After support asked the customer to act: the SLA block and the auto-close notice in the user's time zone, for the customer and the agent; the queue shows the scheduled close. */
  async "SLA and auto-close notice"(ctx) {
    assert(fixtures.caseUrl, "needs the case of the previous tests (answered by support, waiting for the customer)");
    const page = await ctx.newPage();
    const casePath = new URL(fixtures.caseUrl).pathname;
    await signIn(page, "admin@acme.example", casePath);
    const notice = page.locator(".notice.autoclose");
    await notice.getByText(/^This case closes automatically at .+ unless you reply\.$/).waitFor();
    const iso = await notice.locator("time").getAttribute("datetime");
    assert(iso && !isNaN(Date.parse(iso)), "the notice carries the close time: " + iso);
    assert(Date.parse(iso) > Date.now(), "the close is in the future: " + iso);
    const shown = await notice.locator("time").textContent();
    assert(shown === seoulTime(iso), "the close time is shown in the user's locale and time zone: " + shown + " (want " + seoulTime(iso) + ")");
    await page.locator(".facts").getByText("Service level").waitFor();
    await page.locator(".facts").getByText("Answered", { exact: true }).waitFor(); // nothing awaits support
    await axe(page, "case page with the auto-close notice");

    const agent = await ctx.browser().newContext({ locale: "en-US", timezoneId: "Asia/Seoul" });
    try {
      const p2 = await agent.newPage();
      await signIn(p2, "agent@support.example", casePath);
      await p2.locator(".notice.autoclose").getByText("Closes automatically at " + seoulTime(iso) + " unless the customer replies.").waitFor();
      await p2.goto(base + "/support/queue");
      await heading(p2, "Support queue");
      await p2.getByLabel("State").selectOption("ACTION_REQUIRED");
      await p2.getByLabel("Escalated only").check();
      await apply(p2);
      const row = p2.getByRole("list", { name: "Support queue" }).locator("li", { has: p2.locator('a[href="' + casePath + '"]') });
      await findInPages(p2, row);
      await row.getByText("closes " + seoulTime(iso)).waitFor();
      await axe(p2, "support queue with clocks");
    } finally {
      await agent.close();
    }
  },

  /** Close, satisfaction survey, and the reopen rule shown on the closed case. */
  async "close, survey and reopen rule"(ctx) {
    assert(fixtures.caseUrl, "needs the case of the previous test");
    const page = await ctx.newPage();
    page.on("dialog", (d) => d.accept());
    await signIn(page, "admin@acme.example", new URL(fixtures.caseUrl).pathname);
    await page.getByRole("button", { name: "Close case" }).click();
    await page.getByText("This case is closed.").waitFor();
    await page.getByText(/A comment before .* reopens it\./).waitFor();
    await page.getByLabel("4").check();
    await page.getByLabel("Anything to add? (optional)").fill("Quick and clear.");
    await axe(page, "closed case with survey");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("Thank you for your feedback.").waitFor();
    // Commenting within 30 days reopens the case.
    await page.getByLabel("Add a comment").fill("Sorry, it is back.");
    await page.getByRole("button", { name: "Post comment" }).click();
    await page.locator(".facts").getByText("Closed").waitFor({ state: "detached" });
  },

  /** After the 30-day window a closed case cannot be reopened: the page says so and offers a new case linked to it. */
  async "new case after the reopen window"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/" + fixtures.oldCase);
    await heading(page, "Closed long ago");
    await page.getByText("It was closed more than 30 days ago and can no longer be reopened.").waitFor();
    assert((await page.getByLabel("Add a comment").count()) === 0, "no comment box on a case past the reopen window");
    await axe(page, "case past the reopen window");
    await page.getByRole("link", { name: "Open a new case about this" }).click();
    await heading(page, "New case");
    const id = fixtures.oldCase.split("/").pop();
    await page.getByRole("link", { name: "#" + id }).waitFor();
    await page.getByLabel(/^Product/).selectOption("clouddb");
    await page.getByLabel(/^Classification/).selectOption("clouddb-connectivity");
    await page.getByLabel(/^Title/).fill("It is back " + stamp);
    await page.getByLabel(/^Description/).fill("The old problem returned.");
    await page.getByRole("button", { name: "Create case" }).click();
    await heading(page, "It is back " + stamp);
    await page.locator(".facts").getByRole("link", { name: "#" + id }).waitFor();
  },

  /** A reseller acts for the customer that granted access, and does not see the one that did not. */
  async "reseller account switcher"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "partner@resellco.example", "/");
    const sw = page.getByRole("combobox", { name: "Organisation" });
    await sw.waitFor();
    const options = await sw.locator("option").allTextContents();
    assert(options.some((o) => o.startsWith("Globex")), "Globex (granted) is offered: " + options);
    assert(!options.some((o) => o.startsWith("Initech")), "Initech (not granted) is not offered: " + options);
    await sw.selectOption({ label: options.find((o) => o.startsWith("Globex")) });
    await page.waitForURL(/\/organizations\/globex\/cases$/);
    await heading(page, "Cases");
    await page.getByRole("list", { name: "Cases" }).or(page.getByText("No cases match.")).first().waitFor();
    await axe(page, "reseller case list");
    // The reseller files a case for Globex; Globex's Silver package has no escalation.
    await page.getByRole("link", { name: "New case" }).first().click();
    await heading(page, "New case");
    await page.getByLabel(/^Product/).selectOption("clouddb");
    await page.getByLabel(/^Classification/).selectOption("clouddb-connectivity");
    await page.getByLabel(/^Title/).fill("Filed by the reseller " + stamp);
    await page.getByLabel(/^Description/).fill("On behalf of Globex.");
    await page.getByRole("button", { name: "Create case" }).click();
    await heading(page, "Filed by the reseller " + stamp);
    await page.getByText("Not escalated").waitFor();
    assert((await page.getByRole("button", { name: "Escalate" }).count()) === 0, "no Escalate button on a Silver customer's case");
  },

  /** The known-issue banner on the organisation's pages, the details page with its update, "me too" (the organisation's linked case), and stopping the e-mails. */
  async "known issue: banner, details and me too"(ctx) {
    assert(fixtures.knownIssue, "needs the known issue the Go test publishes");
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/cases");
    await heading(page, "Cases");
    const banner = page.getByRole("complementary", { name: "Known issues affecting your products" });
    await banner.getByRole("link", { name: fixtures.kiTitle }).click();
    await heading(page, fixtures.kiTitle);
    await page.getByText("Some dashboards take minutes to load.").waitFor();
    await page.locator(".thread").getByText("We are rolling out a fix.").waitFor();
    await axe(page, "known issue");
    await page.getByRole("button", { name: "Me too", exact: true }).click();
    await page.getByText("You get every update of this issue by e-mail.").waitFor();
    await page.getByRole("button", { name: "Stop e-mail updates" }).waitFor();
    const link = page.locator("section.card a[href^='/organizations/" + fixtures.org + "/cases/']");
    await link.click();
    await page.waitForURL(/\/cases\/[^/?]+$/);
    fixtures.kiCase = new URL(page.url()).pathname;
    await page.locator(".facts").getByRole("link", { name: "Details and updates" }).click();
    await heading(page, fixtures.kiTitle);
    await page.getByRole("button", { name: "Stop e-mail updates" }).click();
    await page.getByText("You no longer get updates of this issue by e-mail.").waitFor();
    await page.getByRole("button", { name: "Me too", exact: true }).waitFor();
  },

  /** The new-case form suggests the known issue of the chosen product; "me too" there leads to the organisation's linked case instead of a new one. */
  async "known issue suggested on the new-case form"(ctx) {
    assert(fixtures.kiCase, "needs the linked case of the previous test");
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/cases/new");
    await heading(page, "New case");
    await page.getByLabel(/^Product/).selectOption("analytics");
    const suggestion = page.getByRole("complementary", { name: "Is it one of these known issues?" });
    await suggestion.getByRole("link", { name: fixtures.kiTitle }).waitFor();
    await axe(page, "new-case form with a known-issue suggestion");
    await suggestion.getByRole("button", { name: "Me too: " + fixtures.kiTitle }).click();
    await page.waitForURL((u) => u.pathname === fixtures.kiCase);
    await page.getByText('You said "me too": this is your organisation\'s case for the known issue.').waitFor();
  },
  /** "Send feedback" bottom right, by keyboard: a native dialog, sent, closed with Escape, focus back on the button. */
  async "send feedback"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "dev@acme.example", "/settings");
    await heading(page, "My settings");
    await tabTo(page, "button.feedback-button", 80);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Send feedback" });
    await dialog.waitFor();
    await dialog.getByLabel("Problem").check();
    await dialog.getByLabel("Your feedback").fill("The settings page could say when a change takes effect.");
    await axe(page, "feedback dialog");
    await dialog.getByRole("button", { name: "Send", exact: true }).click();
    await dialog.getByText("Thank you. We sent you a confirmation by e-mail.").waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    assert(await page.evaluate(() => document.activeElement?.classList.contains("feedback-button")), "focus returns to the feedback button");
  },

  /** Private resources: the organisation's entitled download, fetched through a signed link. */
  async "private resources"(ctx) {
    assert(fixtures.resTitle, "needs the resource the Go test publishes");
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/cases");
    await page.getByRole("link", { name: "Downloads and documents" }).click();
    await heading(page, "Downloads and documents");
    const card = page.locator("li.card", { has: page.getByRole("heading", { name: fixtures.resTitle }) });
    await card.waitFor();
    await axe(page, "downloads and documents");
    const dl = page.waitForEvent("download");
    await card.getByRole("button", { name: "Download " + fixtures.resFile }).click();
    const file = await dl;
    assert(file.suggestedFilename() === fixtures.resFile, "the download keeps the file name: " + file.suggestedFilename());
  },

  /** A support admin onboards a customer (package, products, first admin), finds it in the list, suspends and resumes it. */
  async "organisation onboarding"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/support/queue");
    await heading(page, "Support queue");
    await page.getByRole("link", { name: "Organisations" }).click();
    await heading(page, "Organisations");
    // Organisations list by id; "aaa-" sorts before the many tenants the
    // other tests of the same stack create, so the new one is on an early page.
    const id = "aaa-ob-" + stamp;
    const name = "Onboarded " + stamp;
    const form = page.getByRole("form", { name: "Onboard an organisation" });
    await form.getByLabel("Customer").check();
    await form.getByLabel(/^ID/).fill(id);
    await form.getByLabel("Name").fill(name);
    await form.getByLabel(/^Verified domains/).fill(id + ".example");
    // By id: other suites add packages and products with the demo's names.
    await form.getByLabel("Support package").selectOption("PLATINUM");
    await form.locator("input[name=productIds][value=clouddb]").check();
    await form.getByLabel(/^First organisation admins/).fill("admin@" + id + ".example");
    await axe(page, "organisation onboarding");
    await form.getByRole("button", { name: "Create organisation" }).click();
    await page.getByText(name + " was created.", { exact: false }).waitFor();
    const item = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: new RegExp("^" + name) }) });
    await findInPages(page, item);
    await item.getByRole("button", { name: "Suspend " + name }).click();
    await page.getByText(name + " is suspended.").waitFor();
    await item.getByText("Suspended", { exact: true }).waitFor();
    await item.getByRole("button", { name: "Resume " + name }).click();
    await page.getByText(name + " is active again.").waitFor();
  },

  /** Signed in without a membership: the reason, and the access-request form. */
  async "access required"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, fixtures.nonMember);
    await heading(page, "Access required");
    await page.getByText("Your account is not a member of an organisation that uses the Support Center.").waitFor();
    await axe(page, "access required");
    await page.getByLabel("Why do you need access?").fill("I joined the platform team.");
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await page.getByText("Your request was sent.").waitFor();
    fixtures.accessRequested = true;
    const p2 = await (await ctx.browser().newContext()).newPage();
    await signIn(p2, fixtures.pending);
    await heading(p2, "Access required");
    await p2.getByText(/Your access is being activated\. It becomes active at .+\./).waitFor();
    await p2.context().close();
    for (const [who, text] of [
      [fixtures.unverified, "Your e-mail address is not verified yet."],
      [fixtures.notEligible, "Your organisation's support package does not include the Support Center."],
    ]) {
      const p = await (await ctx.browser().newContext()).newPage();
      await signIn(p, who);
      await heading(p, "Access required");
      await p.getByText(text).waitFor();
      await axe(p, "access required: " + text);
      await p.context().close();
    }
  },

  /** The support team reads the access requests (the one the previous test sent), at 360 px. */
  async "access-request queue"(ctx) {
    assert(fixtures.accessRequested, "needs the request of the access-required test");
    const page = await ctx.newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    await signIn(page, "agent@support.example", "/support/queue");
    await heading(page, "Support queue");
    await page.getByRole("link", { name: "Access requests" }).click();
    await heading(page, "Access requests");
    const item = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: fixtures.nonMember }) });
    await findInPages(page, item);
    await item.getByText("I joined the platform team.").waitFor();
    await item.getByText("Not a member").waitFor();
    await item.getByText("Open", { exact: true }).waitFor();
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(over <= 0, "the access requests scroll horizontally by " + over + " px at 360 px");
    await axe(page, "access requests at 360 px");
    // Rejected with a reason (no organisation has the requester's domain).
    await item.getByRole("button", { name: "Reject" }).click();
    await item.getByLabel("Reason (sent to the requester)").fill("Please ask your organisation's admin to add you.");
    await item.getByRole("form", { name: "Reject " + fixtures.nonMember }).getByRole("button", { name: "Reject" }).click();
    await page.getByText(fixtures.nonMember + " was rejected.").waitFor();
    await item.getByText("Rejected", { exact: true }).waitFor();
    await item.getByText("Please ask your organisation's admin to add you.", { exact: false }).waitFor();
  },

  /** Someone at a customer's domain asks for access; the agent approves them into the organisation as a member; they become a pending user. */
  async "access request approved"(ctx) {
    const p1 = await ctx.newPage();
    await signIn(p1, fixtures.joiner);
    await heading(p1, "Access required");
    await p1.getByLabel("Why do you need access?").fill("I joined " + fixtures.org + " this week.");
    await p1.getByRole("button", { name: "Send", exact: true }).click();
    await p1.getByText("Your request was sent.").waitFor();
    const agent = await ctx.browser().newContext({ locale: "en-US", timezoneId: "Asia/Seoul" });
    try {
      const page = await agent.newPage();
      await signIn(page, "agent@support.example", "/support/access-requests");
      await heading(page, "Access requests");
      const item = page.locator("ul.requests > li", { has: page.getByRole("heading", { name: fixtures.joiner }) });
      await findInPages(page, item);
      const form = item.getByRole("form", { name: "Approve " + fixtures.joiner });
      await form.getByLabel("Organisation ID").fill(fixtures.org);
      await form.getByLabel("Role").selectOption("MEMBER");
      await axe(page, "access request with the answer form");
      await form.getByRole("button", { name: "Approve" }).click();
      await page.getByText(fixtures.joiner + " was approved and is added as a pending user.").waitFor();
      await item.getByText("Approved", { exact: true }).waitFor();
      await item.getByText(new RegExp("^Added to " + fixtures.org + " as Member; access from .+\\.$")).waitFor();
    } finally {
      await agent.close();
    }
    // The requester is now a pending user: the access-required page says when access starts.
    await p1.reload();
    await heading(p1, "Access required");
    await p1.getByText(/Your access is being activated\. It becomes active at .+\./).waitFor();
  },

  /** An address whose organisation requires single sign-on: the sign-in page asks signInOptions and offers no password field. */
  async "single sign-on required"(ctx) {
    const page = await ctx.newPage();
    await page.goto(base + "/");
    await page.getByLabel("E-mail address").fill(fixtures.ssoMember);
    await page.keyboard.press("Tab");
    await page.getByText(/^Portal IdP: your organisation signs you in with its single sign-on, not with a password\./).waitFor();
    assert((await page.getByLabel(/^Password$/).count()) === 0, "no password field where SSO is required");
    await axe(page, "sign-in with SSO required");
    // An address of an organisation without SSO keeps the password field.
    await page.getByLabel("E-mail address").fill("dev@acme.example");
    await page.keyboard.press("Tab");
    await page.getByLabel(/^Password$/).waitFor();
  },

  /** Password reset: the link is requested through the Auth SDK (the Auth emulator keeps the code). */
  async "password reset"(ctx) {
    const page = await ctx.newPage();
    await page.goto(base + "/");
    await page.getByRole("button", { name: "Forgot your password?" }).click();
    await heading(page, "Forgot your password?");
    await page.getByLabel("E-mail address").fill(fixtures.admin);
    await axe(page, "password reset");
    await page.getByRole("button", { name: "Send a reset link" }).click();
    await page.getByText("If an account exists for " + fixtures.admin + ", a password reset link is on its way.").waitFor();
    const host = process.env.FIREBASE_AUTH_EMULATOR_HOST, project = process.env.GOOGLE_CLOUD_PROJECT;
    assert(host && project, "FIREBASE_AUTH_EMULATOR_HOST and GOOGLE_CLOUD_PROJECT are set");
    const codes = await (await fetch("http://" + host + "/emulator/v1/projects/" + project + "/oobCodes")).json();
    assert((codes.oobCodes || []).some((c) => c.email === fixtures.admin && c.requestType === "PASSWORD_RESET"), "the Auth emulator has a reset code for " + fixtures.admin);
  },

  /** Keyboard only: sign in, open the new-case form, file a case and comment, with Tab, typing and Enter. */
  async "keyboard only"(ctx) {
    const page = await ctx.newPage();
    await page.goto(base + "/organizations/acme/cases");
    await tabTo(page, "input[name=email]");
    await page.keyboard.type("dev@acme.example");
    await tabTo(page, "input[name=password]");
    await page.keyboard.type(password);
    await page.keyboard.press("Enter");
    await heading(page, "Cases");
    await tabTo(page, "nav a[href$='/cases/new']");
    await page.keyboard.press("Enter");
    await heading(page, "New case");
    await tabTo(page, "select[name=product]");
    await page.keyboard.press("ArrowDown"); // the first product
    await tabTo(page, "select[name=classification]");
    await page.keyboard.press("ArrowDown");
    await tabTo(page, "input[name=displayName]");
    const title = "Keyboard " + stamp;
    await page.keyboard.type(title);
    await tabTo(page, "textarea[name=description]");
    await page.keyboard.type("Filed without a mouse.");
    await tabTo(page, "button[type=submit]");
    await page.keyboard.press("Enter");
    await heading(page, title);
    await tabTo(page, "textarea[name=comment]");
    await page.keyboard.type("A comment from the keyboard.");
    await tabTo(page, "form:has(textarea[name=comment]) button[type=submit]");
    await page.keyboard.press("Enter");
    await page.locator(".comment", { hasText: "A comment from the keyboard." }).waitFor();
  },

  /** An org admin adds a user (pending with its activation time), changes the role and removes the user. */
  async "user management"(ctx) {
    const page = await ctx.newPage();
    page.on("dialog", (d) => d.accept());
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/users");
    await heading(page, "Users");
    const email = "new-" + stamp + "@" + fixtures.domain;
    const form = page.locator("form", { has: page.getByRole("heading", { name: "Add a user" }) });
    await form.getByLabel("E-mail address").fill(email);
    await form.getByLabel("Name").fill("New Person");
    await form.getByLabel("Role").selectOption("VIEWER");
    await form.getByRole("button", { name: "Add a user" }).click();
    await page.getByText(new RegExp(email.replace(/[.]/g, "\\.") + " was added\\. Access becomes active at")).waitFor();
    const row = page.locator("li.card", { hasText: email });
    await row.getByText(/Pending until/).waitFor();
    await axe(page, "user management");
    await row.getByLabel("Role " + email).selectOption("MEMBER");
    await row.getByRole("button", { name: "Save" }).click();
    await row.getByText("Role: Member").waitFor();
    await row.getByLabel("Role " + email).selectOption("PRODUCT_ADMIN");
    await row.getByLabel("Product " + email).selectOption("clouddb");
    await row.getByRole("button", { name: "Save" }).click();
    await row.getByText("Role: Product admin (CloudDB)").waitFor();
    await row.getByRole("button", { name: "Disable" }).click();
    await row.getByText("Status: Disabled").waitFor();
    await row.getByRole("button", { name: "Enable" }).click();
    await row.getByText(/Status: Pending until/).waitFor(); // enabled, still before its activation time
    await row.getByRole("button", { name: "Remove" }).click();
    await row.waitFor({ state: "detached" });
  },

  /** Reseller access grant and revoke, each in the audit log. */
  async "organisation settings"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/organizations/" + fixtures.org + "/settings");
    await heading(page, "Organisation settings");
    await page.getByText("Resellco cannot see your cases.").waitFor();
    const review = page.locator("section.card", { has: page.getByRole("heading", { name: "Who can read your cases" }) });
    await review.getByRole("cell", { name: fixtures.admin }).waitFor();
    await review.getByText("Access not granted: its people cannot read your cases.").waitFor();
    await page.getByRole("button", { name: "Grant access" }).click();
    await page.getByText("Resellco can see and manage your cases.").waitFor();
    await review.getByText(/^Access granted: its people below can read the cases filed through it since /).waitFor();
    await review.getByText("partner@resellco.example").waitFor();
    await axe(page, "organisation settings with the access review");
    await page.getByRole("button", { name: "Revoke access" }).click();
    await page.getByText("Resellco cannot see your cases.").waitFor();
    await review.getByText("Access not granted: its people cannot read your cases.").waitFor();
    await page.locator("table.audit tbody tr").nth(1).waitFor();
    await axe(page, "organisation settings");
  },

  /** Korean everywhere: the switch changes every string and is kept in the profile; English again. */
  async "language and profile"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, fixtures.admin, "/settings");
    await heading(page, "My settings");
    await page.getByRole("button", { name: "한국어" }).click();
    await heading(page, "내 설정");
    assert((await page.evaluate(() => document.documentElement.lang)) === "ko", "html lang is ko");
    await page.goto(base + "/organizations/" + fixtures.org + "/cases");
    await heading(page, "케이스");
    await axe(page, "case list in Korean");
    await page.goto(base + "/settings");
    await heading(page, "내 설정");
    assert((await page.getByLabel("언어").inputValue()) === "ko", "the profile keeps Korean");
    await page.getByLabel("이메일 알림").selectOption("NONE");
    await page.getByLabel("언어").selectOption("en");
    await page.getByRole("button", { name: "저장" }).click();
    await heading(page, "My settings");
    // Before sign-in, the browser's language decides.
    const ko = await ctx.browser().newContext({ locale: "ko-KR" });
    try {
      const p = await ko.newPage();
      await p.goto(base + "/");
      await heading(p, "로그인");
      await p.getByLabel("이메일 주소").waitFor();
      await axe(p, "sign-in page in Korean");
    } finally {
      await ko.close();
    }
  },

};

// Flows of tests/flows/*.mjs join the table; a name may be used once.
const flowDir = new URL("./flows/", import.meta.url);
for (const file of readdirSync(flowDir).filter((f) => f.endsWith(".mjs")).sort()) {
  const mod = await import(new URL(file, flowDir));
  for (const [name, fn] of Object.entries(mod.default)) {
    if (name in tests) throw new Error("flow " + JSON.stringify(name) + " of flows/" + file + " is defined twice");
    tests[name] = fn;
  }
}

// Flows to run: the arguments, or PORTAL_TESTS (names separated by ";", as
// printed below; the Go test passes the environment through); all by default.
const only = [...process.argv.slice(2), ...(process.env.PORTAL_TESTS || "").split(";").map((s) => s.trim()).filter(Boolean)];
const unknown = only.filter((n) => !(n in tests));
if (unknown.length) {
  console.error("no such test: " + unknown.join(", ") + "; tests: " + Object.keys(tests).join(", "));
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = 0;
for (const [name, fn] of Object.entries(tests)) {
  if (only.length && !only.includes(name)) continue;
  const ctx = await browser.newContext({ locale: "en-US", timezoneId: "Asia/Seoul", acceptDownloads: true });
  ctx.setDefaultTimeout(15000);
  const tokenInURL = [];
  // A credential in a URL: a token parameter, a bearer or a JWT (an ID
  // token starts with the encoded {"alg":). List cursors (pageToken) are not
  // credentials.
  ctx.on("request", (r) => /[?&#](id_?token|access_?token|token|auth)=|bearer|eyJhbGci/i.test(r.url()) && tokenInURL.push(r.url()));
  const began = Date.now();
  axeFindings.length = 0;
  try {
    await fn(ctx);
    assert(axeFindings.length === 0, "axe violations: " + [...new Set(axeFindings)].join("; "));
    assert(tokenInURL.length === 0, "a token appeared in a URL: " + tokenInURL[0]);
    console.log("ok   " + name + " (" + (Date.now() - began) + " ms)");
  } catch (e) {
    failed++;
    const file = join(shots, name.replace(/[^a-z0-9]+/gi, "-") + ".png");
    for (const p of ctx.pages()) await p.screenshot({ path: file, fullPage: true }).catch(() => {});
    console.log("FAIL " + name + ": " + (e && e.message ? e.message.split("\n")[0] : e) + "\n     screenshot: " + file);
  } finally {
    await ctx.close();
  }
}
await browser.close();
if (process.env.METRICS_FILE) writeFileSync(process.env.METRICS_FILE, JSON.stringify(metrics, null, 2));
if (Object.keys(metrics).length) console.log("metrics " + JSON.stringify({ firstLoadCompressedBytes: metrics.firstLoadCompressedBytes, caseListVisibleMs: metrics.caseListVisibleMs }));
process.exit(failed ? 1 : 0);
