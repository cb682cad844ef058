// Flows of single sign-on: signing in through an organisation's identity
// provider, the password refused where SSO is required, a provider answer
// nobody asked for, and the single sign-on settings (support admin changes,
// org admin reads).
//
// The identity provider is a fake served by the browser test itself (at
// http://idp.test, routed by Playwright): it answers like a provider, with a
// form posted back to the portal's /__/auth/handler (SAML's HTTP-POST
// binding). The one Identity Platform call the Auth emulator does not
// implement — accounts:createAuthUri for an "oidc."/"saml." provider, which
// answers 501 there — is answered by the test with the fake provider's
// address; everything after it is real: the portal function's callback, the
// app taking the answer out of the page and the address bar, the Auth
// emulator's accounts:signInWithIdp (which accepts a fake provider
// response: an id_token of plain JSON claims and, for SAML, a SAMLResponse
// naming the address), the SDK's session and the API's provider check.

import { base, fixtures, password, stamp, assert, axe, signIn, tabTo, heading, shot } from "../lib.mjs";

const idpOrigin = "http://idp.test";

/** fakeIdp routes createAuthUri and the fake provider for every page of
 * ctx; it returns the createAuthUri requests the portal made. */
async function fakeIdp(ctx) {
  const asked = [];
  const cors = { "Access-Control-Allow-Origin": base, "Access-Control-Allow-Headers": "content-type, x-client-version", "Access-Control-Allow-Methods": "POST" };
  await ctx.route(
    (u) => u.pathname.endsWith("/accounts:createAuthUri"),
    async (route) => {
      if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
      const req = route.request().postDataJSON();
      asked.push({ ...req, referer: (await route.request().allHeaders())["referer"] });
      const authUri = idpOrigin + "/sso?" + new URLSearchParams({ provider: req.providerId, RelayState: "relay-" + stamp, back: req.continueUri });
      await route.fulfill({ status: 200, headers: cors, contentType: "application/json", body: JSON.stringify({ kind: "identitytoolkit#CreateAuthUriResponse", authUri, sessionId: "session-" + stamp }) });
    },
  );
  await ctx.route(idpOrigin + "/**", async (route) => {
    const u = new URL(route.request().url());
    const provider = u.searchParams.get("provider") || "";
    const email = u.searchParams.get("as") || "";
    const back = u.searchParams.get("back") || "";
    const esc = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
    let body;
    if (!email) {
      // The provider's sign-in page: who signs in?
      body = `<h1>Example identity provider</h1><form method="get" action="/sso">
        <input type="hidden" name="provider" value="${esc(provider)}"><input type="hidden" name="back" value="${esc(back)}">
        <input type="hidden" name="RelayState" value="${esc(u.searchParams.get("RelayState") || "")}">
        <label>Account <input name="as" required></label><button>Sign in</button></form>`;
    } else {
      // Its answer, posted back to the portal (what an IdP's auto-submitted form does).
      const fields = { providerId: provider, id_token: JSON.stringify({ sub: "idp-" + email, email, email_verified: true }), RelayState: u.searchParams.get("RelayState") || "" };
      if (provider.startsWith("saml.")) fields.SAMLResponse = JSON.stringify({ assertion: { subject: { nameId: email } } });
      body = `<h1>Example identity provider</h1><form method="post" action="${esc(back)}">
        ${Object.entries(fields).map(([k, v]) => `<input type="hidden" name="${k}" value="${esc(v)}">`).join("")}
        <button>Continue as ${esc(email)}</button></form>`;
    }
    await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: `<!doctype html><html lang="en"><title>IdP</title>${body}</html>` });
  });
  return asked;
}

/** ssoSignIn signs email in through the fake provider, from the sign-in
 * page at path, by keyboard: Tab to "Sign in with ‹provider›", or (enter)
 * Enter in the address field, which goes straight on where SSO is required. */
async function ssoSignIn(page, email, idpName, path, enter = false) {
  await page.goto(base + path);
  await page.getByLabel("E-mail address").fill(email);
  if (!enter) {
    await page.keyboard.press("Tab");
    const button = page.getByRole("button", { name: "Sign in with " + idpName });
    await button.waitFor();
    await axe(page, "sign-in page offering single sign-on");
    if (!(await button.evaluate((b) => b === document.activeElement))) await tabTo(page, "button.sso");
  }
  await page.keyboard.press("Enter");
  await page.waitForURL(idpOrigin + "/**");
  await page.getByLabel("Account").fill(email);
  await page.keyboard.press("Enter");
  await page.getByRole("button", { name: "Continue as " + email }).click();
}

export default {
  /** A member of an organisation that requires SAML single sign-on signs in through its identity provider from a deep link and lands on its case list; the provider's answer is left in no URL, history entry or page. */
  async "single sign-on through the identity provider"(ctx) {
    const asked = await fakeIdp(ctx);
    const page = await ctx.newPage();
    const deepLink = "/organizations/" + fixtures.samlOrg + "/cases";
    await ssoSignIn(page, fixtures.samlMember, fixtures.samlIdp, deepLink);
    await heading(page, "Cases");
    assert(new URL(page.url()).pathname === deepLink && !page.url().includes("__/auth"), "back at the deep link, not " + page.url());
    assert(asked.length === 1 && asked[0].providerId === "saml.org-" + fixtures.samlOrg, "createAuthUri asked for the organisation's provider: " + JSON.stringify(asked));
    assert(asked[0].continueUri === base + "/__/auth/handler", "the provider sends people back to the portal's own origin: " + asked[0]?.continueUri);
    assert(asked[0].referer === base + "/", "Identity Toolkit is sent the origin only, as referrer: " + asked[0].referer);
    assert((await page.locator('meta[name="sc-idp-response"]').count()) === 0, "the provider's answer is removed from the page");
    assert(!(await page.evaluate(() => sessionStorage.getItem("sso.pending"))), "the pending sign-in is used once");
    await axe(page, "case list after single sign-on");
    // The SDK keeps the session: a reload stays signed in.
    await page.reload();
    await heading(page, "Cases");
    // Back in history is the provider, never the callback with its answer.
    await page.goBack();
    assert(!page.url().startsWith(base + "/__/auth"), "history keeps no callback: " + page.url());
  },

  /** The same through an OpenID Connect provider, from the root page, by Enter in the address field: createAuthUri gets the address as login_hint, and the member lands on the organisation's case list. */
  async "single sign-on through an OpenID Connect provider"(ctx) {
    const asked = await fakeIdp(ctx);
    const page = await ctx.newPage();
    await ssoSignIn(page, fixtures.ssoMember, "Portal IdP", "/", true);
    await heading(page, "Cases");
    assert(/^\/organizations\/[^/]+-sso\/cases$/.test(new URL(page.url()).pathname), "on the organisation's case list: " + page.url());
    const req = asked[0] || {};
    assert(/^oidc\.org-.+-sso$/.test(req.providerId) && req.customParameter?.login_hint === fixtures.ssoMember, "createAuthUri for the OIDC provider with the address as login_hint: " + JSON.stringify(req));
    await axe(page, "case list after OIDC single sign-on");
  },

  /** Where SSO is required the password is refused by the API too: with the sign-in options unavailable the password form stays, and signing in with it leads to "access required" with the reason. */
  async "single sign-on required: the password is refused"(ctx) {
    const page = await ctx.newPage();
    await page.route((u) => u.pathname === "/v2/signInOptions", (r) => r.abort());
    await page.goto(base + "/");
    await page.getByLabel("E-mail address").fill(fixtures.samlMember);
    await page.getByLabel(/^Password$/).fill(password);
    await page.getByRole("button", { name: /^Sign in$/ }).click();
    await heading(page, "Access required");
    await page.getByText(/^Your organisation requires signing in with its single sign-on/).waitFor();
    await axe(page, "access required: single sign-on");
  },

  /** A provider answer this tab never asked for (login CSRF), posted or in the query, signs nobody in and leaves the address bar. */
  async "single sign-on: an answer nobody asked for"(ctx) {
    await fakeIdp(ctx);
    const page = await ctx.newPage();
    await page.goto(idpOrigin + "/sso?" + new URLSearchParams({ provider: "saml.org-" + fixtures.samlOrg, as: fixtures.samlMember, back: base + "/__/auth/handler" }));
    await page.getByRole("button", { name: "Continue as " + fixtures.samlMember }).click();
    await page.getByText(/^That sign-in answer was not asked for in this browser tab/).waitFor();
    await heading(page, "Sign in");
    assert(new URL(page.url()).pathname === "/", "the callback left the address bar: " + page.url());
    await axe(page, "sign-in after an unsolicited answer");
    await page.goto(base + "/__/auth/handler?code=" + stamp + "&state=forged");
    await page.getByText(/^That sign-in answer was not asked for in this browser tab/).waitFor();
    assert(page.url() === base + "/", "the answer in the query left the address bar: " + page.url());
  },

  /** Single sign-on settings: a support admin gives an organisation an OIDC provider (the sign-in page then offers it beside the password); an org admin of a SAML organisation, signed in through it, reads what its provider must be told and cannot change it. */
  async "single sign-on settings"(ctx) {
    const page = await ctx.newPage();
    await signIn(page, "lead@support.example", "/organizations/" + fixtures.ssoCfgOrg + "/sso");
    await heading(page, "Single sign-on");
    await page.locator("dl.facts").getByText("None (passwords only)").waitFor();
    await axe(page, "single sign-on settings (support admin)");
    await page.getByLabel("OpenID Connect").check();
    const name = "Setup IdP " + stamp;
    await page.getByLabel("Name shown on the sign-in page").fill(name);
    await page.getByLabel("Issuer").fill("https://login.example.test");
    await page.getByLabel("Client ID").fill("support-center");
    await tabTo(page, "form[aria-labelledby=sso-change] button[type=submit]");
    await page.keyboard.press("Enter");
    await page.getByText("Single sign-on saved.").waitFor();
    await page.locator("dl.facts").getByText("oidc.org-" + fixtures.ssoCfgOrg).waitFor();
    await page.getByText(base + "/__/auth/handler").waitFor(); // the redirect URI to register
    await axe(page, "single sign-on settings saved");
    await shot(page, "screenshot-sso-settings");

    // Signed out (in Korean), an address at the organisation's domain gets the provider and keeps the password.
    const out = await ctx.browser().newContext({ locale: "ko-KR" });
    try {
      const p = await out.newPage();
      await p.goto(base + "/");
      await p.getByLabel("이메일 주소").fill("someone-" + stamp + "@" + fixtures.ssoCfgDomain);
      await p.keyboard.press("Tab");
      await p.getByRole("button", { name: name + "(으)로 로그인" }).waitFor();
      await p.getByLabel(/^비밀번호$/).waitFor();
      await axe(p, "sign-in page with optional single sign-on, in Korean");
    } finally {
      await out.close();
    }

    // The SAML organisation's admin, signed in through its provider, reads the settings.
    const admin = await ctx.browser().newContext({ locale: "en-US", timezoneId: "Asia/Seoul" });
    try {
      await fakeIdp(admin);
      const p = await admin.newPage();
      await ssoSignIn(p, fixtures.samlAdmin, fixtures.samlIdp, "/organizations/" + fixtures.samlOrg + "/sso", true);
      await heading(p, "Single sign-on");
      await p.getByText(/^Only the support team changes these settings/).waitFor();
      await p.locator("dl.facts").getByText("SAML 2.0").waitFor();
      await p.getByText(/\/__\/auth\/handler$/).waitFor(); // the assertion consumer service URL
      assert((await p.getByRole("button", { name: "Save single sign-on" }).count()) === 0, "an org admin cannot change single sign-on");
      await p.getByRole("navigation").getByRole("link", { name: "Single sign-on" }).waitFor();
      await axe(p, "single sign-on settings (org admin)");
      // Long addresses wrap at 360 px.
      await p.setViewportSize({ width: 360, height: 740 });
      const over = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert(over <= 0, "the single sign-on settings scroll horizontally by " + over + " px at 360 px");
    } finally {
      await admin.close();
    }
  },
};
