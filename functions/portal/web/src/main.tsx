// The portal's entry point: load the run-time config, start Firebase Auth,
// then render the shell (header with the account switcher, navigation and
// language switch) around the page the URL names.

import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { onAuthStateChanged, signOut, type User } from "firebase/auth";
import { api, start, getAuthInstance, forget } from "./api";
import { t, setLang, browserLang, getLang, type Lang } from "./i18n";
import { useLocation, navigate, match } from "./router";
import { Ctx, orgId, isSupport, isSupportAdmin, type Me, type Session } from "./session";
import { SignIn } from "./signin";
import { CaseList, CasePage, NewCase } from "./cases";
import { AccessRequired, Products, Users, OrgSettings, Profile, Queue } from "./admin";
import { AccessRequests } from "./support";
import { KnownIssueBanner, KnownIssuePage } from "./knownissues";
import { Resources } from "./resources";
import { Feedback } from "./feedback";
import { Onboarding } from "./onboarding";
import { takeCallback, finishSSO, SSOError } from "./sso";
import { SSOConfigPage } from "./ssoconfig";
import { Catalog } from "./catalog";
import { Staff } from "./staff";
import { StaffResources } from "./staffresources";
import { FeedbackTriage } from "./stafffeedback";
import { StaffKnownIssues } from "./staffknownissues";

performance.mark("app-start");
// An identity provider's answer (single sign-on) leaves the address bar and
// the page before anything else runs; it is used once start() is done.
const ssoCallback = takeCallback();
let ssoError = "";

function Shell({ user }: { user: User | null | undefined }) {
  const loc = useLocation();
  const [me, setMe] = useState<Me | null>(null);
  const [err, setErr] = useState("");
  const [lang, setL] = useState<Lang>(getLang());

  const changeLang = (l: Lang, save = true) => {
    setLang(l);
    localStorage.setItem("lang", l);
    setL(l);
    if (save && user) api("PATCH", "/v2/me", { language: l }).catch(() => {});
  };

  const loadMe = async () => {
    try {
      const m: Me = await api("GET", "/v2/me");
      setMe(m);
      if (m.profile?.language === "en" || m.profile?.language === "ko") changeLang(m.profile.language, false);
    } catch (e) {
      setErr((e as Error).message);
    }
  };

  useEffect(() => {
    setMe(null);
    if (user) loadMe();
  }, [user]);

  if (user === undefined) return <p class="loading">{t("loading")}</p>;
  const header = (body: any) => (
    <>
      <a class="skip" href="#main">
        {t("skip")}
      </a>
      <header class="top">
        <a class="brand" href="/">
          {t("appName")}
        </a>
        {me && <Switcher me={me} path={loc.path} />}
        <div class="top-actions">
          <button type="button" class="link" lang={lang === "en" ? "ko" : "en"} onClick={() => changeLang(lang === "en" ? "ko" : "en")}>
            {t("switchLang")}
          </button>
          {user && (
            <button type="button" class="link" onClick={() => signOut(getAuthInstance()).then(() => navigate("/"))}>
              {t("signOut")}
            </button>
          )}
        </div>
      </header>
      {body}
    </>
  );
  if (!user) return header(<main id="main"><SignIn ssoError={ssoError} /></main>);
  if (err) return header(<main id="main"><p role="alert">{t("error", { msg: err })}</p></main>);
  if (!me) return header(<main id="main"><p class="loading">{t("loading")}</p></main>);
  const session: Session = { me, reload: loadMe, lang };
  return (
    <Ctx.Provider value={session}>
      {header(<Routes me={me} />)}
      <Feedback />
    </Ctx.Provider>
  );
}

/** The account switcher: the organisations the caller acts for. */
function Switcher({ me, path }: { me: Me; path: string }) {
  // Customers that have not granted their reseller access are left out: the
  // reseller can do nothing there.
  const orgs = me.organizations.filter((o) => (o.status === "ACTIVE" || !o.status) && o.resellerAccessGranted !== false);
  if (orgs.length === 0) return null;
  const segs = path.split("/");
  const current = (segs[1] === "organizations" && segs[2]) || localStorage.getItem("org") || "";
  return (
    <label class="switcher">
      <span class="label">{t("organization")}</span>
      <select
        value={current}
        onChange={(e) => {
          const id = (e.target as HTMLSelectElement).value;
          localStorage.setItem("org", id);
          navigate("/organizations/" + id + "/cases");
        }}
      >
        {!orgs.some((o) => orgId(o.name) === current) && <option value="">{t("choose")}</option>}
        {orgs.map((o) => (
          <option value={orgId(o.name)}>
            {o.displayName}
            {o.capacity === "RESELLER" ? " (" + t("capacity_RESELLER") + ")" : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

function Nav({ org, me }: { org: string; me: Me }) {
  const o = me.organizations.find((x) => orgId(x.name) === org);
  const roles = (o?.roles || []).map((r) => r.role);
  const admin = roles.includes("ORG_ADMIN") || roles.includes("PRODUCT_ADMIN");
  const support = me.organizations.some((x) => x.capacity === "SUPPORT");
  const base = "/organizations/" + org;
  const links: [string, string][] = [
    [base + "/cases", t("cases")],
    [base + "/cases/new", t("newCase")],
    [base + "/products", t("products")],
    [base + "/resources", t("resources")],
  ];
  if (admin) links.push([base + "/users", t("users")], [base + "/settings", t("orgSettings")]);
  if ((roles.includes("ORG_ADMIN") && o?.capacity === "CUSTOMER") || (isSupportAdmin(me) && o?.capacity !== "SUPPORT")) links.push([base + "/sso", t("ssoNav")]);
  if (support) links.push(["/support/queue", t("queue")], ["/support/access-requests", t("accessRequests")]);
  if (isSupportAdmin(me)) links.push(["/support/organizations", t("onboarding")], ["/support/catalog", t("catalog")]);
  if (support) links.push(["/support/staff", t("staff")]);
  if (support) links.push(["/support/known-issues", t("skNav")], ["/support/feedback", t("sfNav")]);
  if (isSupportAdmin(me)) links.push(["/support/resources", t("srNav")]);
  links.push(["/settings", t("profile")]);
  const path = location.pathname;
  return (
    <nav class="nav" aria-label={t("mainNav")}>
      <ul>
        {links.map(([href, label]) => (
          <li>
            <a href={href} aria-current={path === href ? "page" : undefined}>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

let firstRoute = true;

function Routes({ me }: { me: Me }) {
  const loc = useLocation();
  const p = loc.path;
  // After a client-side navigation, move focus to the new page (as a page
  // load would), so keyboard and screen-reader users start at its content.
  useEffect(() => {
    if (firstRoute) {
      firstRoute = false;
      return;
    }
    document.getElementById("main")?.focus();
  }, [p]);
  const usable = me.access?.usable;
  const active = me.organizations.filter((o) => o.status === "ACTIVE" || !o.status);
  if (!usable || active.length === 0) {
    return (
      <main id="main">
        <AccessRequired me={me} />
      </main>
    );
  }
  let m: Record<string, string> | null;
  let page: any = null;
  let org = "";
  if ((m = match("/organizations/:org/cases", p))) (org = m.org), (page = <CaseList org={m.org} />);
  else if ((m = match("/organizations/:org/cases/new", p))) (org = m.org), (page = <NewCase org={m.org} previous={loc.query.get("previous") || ""} product={loc.query.get("product") || ""} />);
  else if ((m = match("/organizations/:org/cases/:case", p))) (org = m.org), (page = <CasePage org={m.org} id={m.case} joined={loc.query.has("joined")} />);
  else if ((m = match("/organizations/:org/products", p))) (org = m.org), (page = <Products org={m.org} />);
  else if ((m = match("/organizations/:org/users", p)) && me.organizations.some((o) => o.capacity === "SUPPORT" && orgId(o.name) === m!.org)) {
    navigate("/support/staff", true); // the vendor organisation's users are the support team
    return null;
  } else if ((m = match("/organizations/:org/users", p))) (org = m.org), (page = <Users org={m.org} />);
  else if ((m = match("/organizations/:org/resources", p))) (org = m.org), (page = <Resources org={m.org} />);
  else if ((m = match("/organizations/:org/settings", p))) (org = m.org), (page = <OrgSettings org={m.org} />);
  else if ((m = match("/organizations/:org/sso", p))) (org = m.org), (page = <SSOConfigPage org={m.org} />);
  else if ((m = match("/organizations/:org", p))) {
    navigate("/organizations/" + m.org + "/cases", true);
    return null;
  } else if (p === "/settings") page = <Profile />;
  else if (p === "/support/queue") page = <Queue />;
  else if (p === "/support/access-requests") page = <AccessRequests />;
  else if (p === "/support/organizations") page = <Onboarding />;
  else if (p === "/support/catalog" || p.startsWith("/support/catalog/")) page = <Catalog path={p} />;
  else if (p === "/support/staff") page = <Staff />;
  else if (p === "/support/resources") page = <StaffResources />;
  else if (p === "/support/feedback") page = <FeedbackTriage />;
  else if (p === "/support/known-issues") page = <StaffKnownIssues />;
  else if ((m = match("/knownIssues/:id", p))) page = <KnownIssuePage id={m.id} org={loc.query.get("org") || ""} />;
  else if (p === "/" || p === "/signin") {
    const saved = localStorage.getItem("org");
    const pick = active.find((o) => orgId(o.name) === saved) || active.find((o) => o.capacity !== "SUPPORT") || active[0];
    if (pick.capacity === "SUPPORT" && !saved) navigate("/support/queue", true);
    else navigate("/organizations/" + orgId(pick.name) + "/cases", true);
    return null;
  } else page = <p role="alert">{t("notFound")}</p>;
  if (org) localStorage.setItem("org", org);
  const navOrg = org || localStorage.getItem("org") || orgId(active[0].name);
  return (
    <div class="layout">
      <Nav org={navOrg} me={me} />
      <main id="main" tabIndex={-1}>
        {org && !isSupport(me) && <KnownIssueBanner org={org} />}
        {page}
      </main>
    </div>
  );
}

// The document title follows the page's heading (which may arrive after
// its data), so tabs, history and screen readers name the page.
new MutationObserver(() => {
  const h = document.querySelector("main h1");
  const title = (h?.textContent ? h.textContent + " – " : "") + t("appName");
  if (document.title !== title) document.title = title;
}).observe(document.body, { childList: true, subtree: true, characterData: true });

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(
    () =>
      onAuthStateChanged(getAuthInstance(), (u) => {
        forget();
        setUser(u);
      }),
    [],
  );
  return <Shell user={user} />;
}

setLang(browserLang());
start()
  .then(() => ssoCallback && finishSSO(ssoCallback).catch((e) => void (ssoError = e instanceof SSOError ? e.key : "ssoFailed")))
  .then(() => render(<App />, document.getElementById("app")!));
