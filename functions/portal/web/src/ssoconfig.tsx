// An organisation's single sign-on (GET/PATCH /v2/organizations/{org}/
// ssoConfig): its identity provider (OpenID Connect or SAML 2.0) and
// whether single sign-on is required. Support admins change it; the
// customer's org admins (and other support staff) read it, with what their
// provider must be told about us (SAML: our entity ID and assertion
// consumer service URL; OIDC: the redirect URI).

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk, fmtTime } from "./i18n";
import { errText, isSupportAdmin, useSession } from "./session";
import { callbackPath } from "./sso";
import { Msg } from "./msg";

interface SSOConfig {
  name: string;
  type: string; // NONE | OIDC | SAML
  providerId?: string;
  displayName?: string;
  ssoRequired: boolean;
  oidc?: { issuer: string; clientId: string; codeFlow?: boolean };
  saml?: { idpEntityId: string; ssoUrl: string; x509Certificates: string[]; spEntityId?: string; callbackUri?: string };
  registered: boolean;
  updateTime?: string;
}

export function SSOConfigPage({ org }: { org: string }) {
  const { me } = useSession();
  const canChange = isSupportAdmin(me);
  const [cfg, setCfg] = useState<SSOConfig | null>(null);
  const [err, setErr] = useState("");
  const [note, setNote] = useState("");
  useEffect(() => {
    let live = true;
    setCfg(null);
    setErr("");
    api("GET", "/v2/organizations/" + org + "/ssoConfig").then(
      (c) => live && setCfg(c),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [org]);
  return (
    <section class="card">
      <h1>{t("ssoTitle")}</h1>
      <p>{t("ssoIntro")}</p>
      {!canChange && <p class="notice">{t("ssoReadOnly")}</p>}
      {err && (
        <Msg text={err} alert />
      )}
      {!cfg && !err && <p class="loading">{t("loading")}</p>}
      {cfg && <Current cfg={cfg} />}
      {cfg && canChange && <Change org={org} cfg={cfg} onSaved={(c, changed) => (setCfg(c), setNote(changed ? "ssoSaved" : "ssoUnchanged"))} />}
      <Msg text={note && t(note as "ssoSaved")} />
    </section>
  );
}

function Current({ cfg }: { cfg: SSOConfig }) {
  const fact = (label: string, value: any) => (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
  return (
    <>
      <h2>{t("ssoCurrent")}</h2>
      <dl class="facts">
        {fact(t("ssoType"), tk("ssoType_", cfg.type))}
        {cfg.type !== "NONE" && fact(t("ssoProviderId"), <span class="mono">{cfg.providerId}</span>)}
        {cfg.displayName && fact(t("ssoName"), cfg.displayName)}
        {fact(t("ssoRequiredLabel"), cfg.ssoRequired ? t("ssoYes") : t("ssoNo"))}
        {cfg.type !== "NONE" && fact(t("ssoRegistered"), cfg.registered ? t("ssoYes") : t("ssoNotRegistered"))}
        {cfg.updateTime && fact(t("ssoUpdated"), <time dateTime={cfg.updateTime}>{fmtTime(cfg.updateTime)}</time>)}
        {cfg.oidc && fact(t("ssoIssuer"), <span class="mono">{cfg.oidc.issuer}</span>)}
        {cfg.oidc && fact(t("ssoClientId"), <span class="mono">{cfg.oidc.clientId}</span>)}
        {cfg.oidc && fact(t("ssoFlow"), cfg.oidc.codeFlow ? t("ssoFlowCode") : t("ssoFlowImplicit"))}
        {cfg.oidc && fact(t("ssoRedirectUri"), <span class="mono">{location.origin + callbackPath}</span>)}
        {cfg.saml && fact(t("ssoIdpEntityId"), <span class="mono">{cfg.saml.idpEntityId}</span>)}
        {cfg.saml && fact(t("ssoSsoUrl"), <span class="mono">{cfg.saml.ssoUrl}</span>)}
        {cfg.saml && fact(t("ssoCerts"), t("ssoCertCount", { n: cfg.saml.x509Certificates?.length || 0 }))}
        {cfg.saml?.spEntityId && fact(t("ssoSpEntityId"), <span class="mono">{cfg.saml.spEntityId}</span>)}
        {cfg.saml?.callbackUri && fact(t("ssoAcs"), <span class="mono">{cfg.saml.callbackUri}</span>)}
      </dl>
    </>
  );
}

/** Change is the support admins' form. Only what changed is sent
 * (updateMask): re-sending an OIDC provider without its client secret
 * would switch it to the implicit flow. */
function Change({ org, cfg, onSaved }: { org: string; cfg: SSOConfig; onSaved: (c: SSOConfig, changed: boolean) => void }) {
  const [type, setType] = useState(cfg.type);
  const [required, setRequired] = useState(cfg.ssoRequired);
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState("");
  const save = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "").trim();
    const mask: string[] = [];
    const body: Record<string, unknown> = {};
    if (s("displayName") !== (cfg.displayName || "") && type !== "NONE") (mask.push("displayName"), (body.displayName = s("displayName")));
    if (required !== cfg.ssoRequired || (type === "NONE" && cfg.ssoRequired)) (mask.push("ssoRequired"), (body.ssoRequired = type !== "NONE" && required));
    if (type === "NONE" && cfg.type !== "NONE") mask.push(cfg.type.toLowerCase()); // named without a value: removed
    if (type === "OIDC") {
      const oidc = { issuer: s("issuer"), clientId: s("clientId"), clientSecret: s("clientSecret") || undefined };
      if (cfg.type !== "OIDC" || oidc.issuer !== cfg.oidc?.issuer || oidc.clientId !== cfg.oidc?.clientId || oidc.clientSecret) (mask.push("oidc"), (body.oidc = oidc));
    }
    if (type === "SAML") {
      const certs = s("certs").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) || (s("certs") ? [s("certs")] : []);
      const saml = { idpEntityId: s("idpEntityId"), ssoUrl: s("ssoUrl"), x509Certificates: certs };
      const same = cfg.type === "SAML" && saml.idpEntityId === cfg.saml?.idpEntityId && saml.ssoUrl === cfg.saml?.ssoUrl && (certs.length === 0 || certs.join("\n") === (cfg.saml?.x509Certificates || []).join("\n"));
      if (!same) (mask.push("saml"), (body.saml = { ...saml, x509Certificates: certs.length ? certs : cfg.saml?.x509Certificates || [] }));
    }
    if (mask.length === 0) return onSaved(cfg, false);
    setBusy(true);
    setErr("");
    try {
      const next: SSOConfig = await api("PATCH", "/v2/organizations/" + org + "/ssoConfig" + qs({ updateMask: mask.join(",") }), body);
      (e.target as HTMLFormElement).reset();
      setType(next.type);
      setRequired(next.ssoRequired);
      onSaved(next, true);
    } catch (x) {
      setErr(errText(x));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={save} aria-labelledby="sso-change">
      <h2 id="sso-change">{t("ssoChange")}</h2>
      <fieldset>
        <legend>{t("ssoType")}</legend>
        {["NONE", "OIDC", "SAML"].map((k) => (
          <label class="inline">
            <input type="radio" name="type" value={k} checked={type === k} onChange={() => setType(k)} /> {tk("ssoType_", k)}
          </label>
        ))}
      </fieldset>
      {type === "NONE" && cfg.type !== "NONE" && <p class="notice">{t("ssoRemoveWarning")}</p>}
      {type !== "NONE" && (
        <>
          <label>
            {t("ssoName")}
            <input name="displayName" defaultValue={cfg.displayName || ""} maxLength={100} />
          </label>
          {type === "OIDC" && (
            <div class="grid2">
              <label>
                {t("ssoIssuer")}
                <input name="issuer" type="url" required defaultValue={cfg.oidc?.issuer || ""} autoComplete="off" />
              </label>
              <label>
                {t("ssoClientId")}
                <input name="clientId" required defaultValue={cfg.oidc?.clientId || ""} autoComplete="off" />
              </label>
              <label>
                {t("ssoClientSecret")}
                <input name="clientSecret" type="password" autoComplete="new-password" />
              </label>
            </div>
          )}
          {type === "SAML" && (
            <>
              <div class="grid2">
                <label>
                  {t("ssoIdpEntityId")}
                  <input name="idpEntityId" required defaultValue={cfg.saml?.idpEntityId || ""} autoComplete="off" />
                </label>
                <label>
                  {t("ssoSsoUrl")}
                  <input name="ssoUrl" type="url" required defaultValue={cfg.saml?.ssoUrl || ""} autoComplete="off" />
                </label>
              </div>
              <label>
                {t("ssoCerts")}
                <textarea name="certs" class="mono" rows={4} required={cfg.type !== "SAML"} spellcheck={false} />
              </label>
            </>
          )}
          <p>
            <label class="inline">
              <input type="checkbox" name="ssoRequired" checked={required} onChange={(e) => setRequired((e.target as HTMLInputElement).checked)} /> {t("ssoRequiredLabel")}
            </label>
          </p>
          {required && !cfg.ssoRequired && <p class="notice">{t("ssoRequireWarning")}</p>}
        </>
      )}
      {err && (
        <Msg text={err} alert />
      )}
      <button type="submit" disabled={busy}>
        {t("ssoSave")}
      </button>
    </form>
  );
}
