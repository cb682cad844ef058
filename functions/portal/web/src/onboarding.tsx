// Organisation onboarding for support admins: every organisation with its
// kind, package and state (suspend, resume), and the form that creates a
// customer or reseller with what it bought and its first org admins (each
// provisioned like an added user: pending, then a welcome e-mail).

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { errText, orgId } from "./session";
import { Pager, TimeText } from "./cases";
import { OrgEdit } from "./orgedit";
import { Msg } from "./msg";

interface Org {
  name: string;
  displayName: string;
  kind: string;
  domains?: string[];
  supportPackage?: { id?: string; displayName?: string };
  products?: { id: string; displayName: string }[];
  suspended?: boolean;
  suspendTime?: string;
  createTime?: string;
}

const list = (v: string) => v.split(/[\s,;]+/).filter(Boolean);

export function Onboarding() {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ organizations: Org[]; nextPageToken?: string } | null>(null);
  const [packages, setPackages] = useState<{ name: string; displayName: string; active: boolean }[]>([]);
  const [products, setProducts] = useState<{ name: string; displayName: string; active: boolean }[]>([]);
  const [err, setErr] = useState("");
  const [note, setNote] = useState("");
  const [reload, setReload] = useState(0);
  const [kind, setKind] = useState("CUSTOMER");
  const [busy, setBusy] = useState(false);
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    api("GET", "/v2/organizations" + qs({ pageSize: 50, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [token, reload]);
  useEffect(() => {
    api("GET", "/v2/packages").then((d) => setPackages((d.packages || []).filter((p: any) => p.active)), () => setPackages([]));
    api("GET", "/v2/products").then((d) => setProducts((d.products || []).filter((p: any) => p.active)), () => setProducts([]));
  }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) || "").trim();
    const body: Record<string, unknown> = { displayName: s("displayName"), kind, domains: list(s("domains")), adminEmails: list(s("adminEmails")) };
    if (kind === "CUSTOMER") {
      body.packageId = s("packageId");
      body.productIds = f.getAll("productIds").map(String);
      if (s("resellerId")) body.resellerId = s("resellerId");
    }
    setBusy(true);
    try {
      await api("POST", "/v2/organizations" + qs({ organizationId: s("organizationId") }), body);
      setNote(t("obCreated", { name: s("displayName") }));
      form.reset();
      setReload((n) => n + 1);
    } catch (e) {
      setNote(errText(e));
    } finally {
      setBusy(false);
    }
  };
  const suspend = async (o: Org) => {
    try {
      await api("POST", "/v2/" + o.name + (o.suspended ? ":resume" : ":suspend"), {});
      setNote(t(o.suspended ? "obResumed" : "obSuspended", { name: o.displayName }));
      setReload((n) => n + 1);
    } catch (e) {
      setNote(errText(e));
    }
  };
  const resellers = (data?.organizations || []).filter((o) => o.kind === "RESELLER");
  return (
    <section>
      <h1>{t("onboarding")}</h1>
      <Msg text={note} />
      <form class="card stack" onSubmit={create} aria-labelledby="ob-new">
        <h2 id="ob-new">{t("obNew")}</h2>
        <fieldset>
          <legend>{t("obKind")}</legend>
          {["CUSTOMER", "RESELLER"].map((k) => (
            <label class="inline">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {tk("kind_", k)}
            </label>
          ))}
        </fieldset>
        <div class="grid2">
          <label>
            {t("obId")}
            <input name="organizationId" required pattern="[a-z0-9][a-z0-9\-]{0,62}" autoComplete="off" />
          </label>
          <label>
            {t("displayName")}
            <input name="displayName" required />
          </label>
        </div>
        <label>
          {t("obDomains")}
          <input name="domains" required autoComplete="off" />
        </label>
        {kind === "CUSTOMER" && (
          <>
            <label>
              {t("package")}
              <select name="packageId" required>
                <option value="">{t("choose")}</option>
                {packages.map((p) => (
                  <option value={p.name.replace(/^packages\//, "")}>{p.displayName}</option>
                ))}
              </select>
            </label>
            <fieldset>
              <legend>{t("products")}</legend>
              {products.map((p) => (
                <label class="inline">
                  <input type="checkbox" name="productIds" value={p.name.replace(/^products\//, "")} /> {p.displayName}
                </label>
              ))}
            </fieldset>
            <label>
              {t("obReseller")}
              <select name="resellerId">
                <option value="">{t("obNoReseller")}</option>
                {resellers.map((o) => (
                  <option value={orgId(o.name)}>{o.displayName}</option>
                ))}
              </select>
            </label>
          </>
        )}
        <label>
          {t("obAdmins")}
          <input name="adminEmails" required autoComplete="off" />
        </label>
        <button type="submit" disabled={busy}>
          {t("obCreate")}
        </button>
      </form>
      <h2>{t("obAll")}</h2>
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && (
        <ul class="requests" aria-label={t("obAll")}>
          {data.organizations.map((o) => (
            <li class="card">
              <div class="title-row">
                <h3>
                  {o.displayName} <span class="meta">{orgId(o.name)}</span>
                </h3>
                {o.suspended && <span class="badge escalated">{t("obSuspendedBadge")}</span>}
              </div>
              <p class="meta">
                {tk("kind_", o.kind)}
                {o.supportPackage?.displayName && " · " + o.supportPackage.displayName}
                {(o.products || []).length > 0 && " · " + (o.products || []).map((p) => p.displayName).join(", ")}
                {(o.domains || []).length > 0 && " · " + (o.domains || []).join(", ")}
              </p>
              {o.suspended && o.suspendTime && (
                <p class="meta">
                  <TimeText k="obSuspendedAt" iso={o.suspendTime} />
                </p>
              )}
              {o.kind === "CUSTOMER" && (
                <p>
                  <a href={"/organizations/" + orgId(o.name) + "/sso"}>{t("ssoLinkFor", { name: o.displayName })}</a>
                </p>
              )}
              {o.kind !== "VENDOR" && <OrgEdit org={o} packages={packages} products={products} saved={(msg) => (setNote(msg), setReload((n) => n + 1))} />}
              {o.kind !== "VENDOR" && (
                <button type="button" class={o.suspended ? "secondary" : "danger"} onClick={() => suspend(o)}>
                  {o.suspended ? t("obResume", { name: o.displayName }) : t("obSuspend", { name: o.displayName })}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}
