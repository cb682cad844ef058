// Known issues for the support team: every issue (active and resolved, a
// page at a time) and, for support admins, the form that publishes one;
// on an issue's details page (knownissues.tsx) the staff actions: post an
// update (support agents and admins; the API e-mails it to everyone
// following the issue) and resolve it with a final update (support
// admins). Customers keep the banner, the details and "me too".

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { navigate } from "./router";
import { useSession, isSupport, isSupportAdmin, errText, lastSegment } from "./session";
import { Pager, TimeText } from "./cases";
import { issueHref, type KnownIssue } from "./knownissues";
import { Msg } from "./msg";

export function StaffKnownIssues() {
  const { me } = useSession();
  const staff = isSupport(me);
  const admin = isSupportAdmin(me);
  const [state, setState] = useState("ACTIVE");
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ knownIssues: KnownIssue[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    if (!staff) return;
    let live = true;
    setData(null);
    setErr("");
    api("GET", "/v2/knownIssues" + qs({ filter: state && "state=" + state, pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [staff, state, token]);
  if (!staff) {
    return (
      <section>
        <h1>{t("skTitle")}</h1>
        <p role="alert">{t("skOnlyStaff")}</p>
      </section>
    );
  }
  return (
    <section>
      <h1>{t("skTitle")}</h1>
      {admin ? <PublishIssue /> : <p class="meta">{t("skAdminsResolve")}</p>}
      <h2>{t("skAll")}</h2>
      <div class="filters">
        <label>
          {t("state")}
          <select
            name="state"
            value={state}
            onChange={(e) => {
              setState((e.target as HTMLSelectElement).value);
              setTokens([""]);
            }}
          >
            <option value="">{t("skAnyState")}</option>
            {["ACTIVE", "RESOLVED"].map((s) => (
              <option value={s}>{tk("kiState_", s)}</option>
            ))}
          </select>
        </label>
      </div>
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.knownIssues.length === 0 && <p>{t("skNone")}</p>}
      {data && data.knownIssues.length > 0 && (
        <ul class="case-list" aria-label={t("skAll")}>
          {data.knownIssues.map((k) => (
            <li>
              <div class="title-row">
                <a href={issueHref(k.name)}>{k.title}</a>
                <span class={"badge ki-" + k.state.toLowerCase()}>{tk("kiState_", k.state)}</span>
              </div>
              {k.summary && <p>{k.summary}</p>}
              <p class="meta">
                {t("skFacts", { products: (k.productIds || []).join(", "), followers: k.subscriberCount || "0", updates: k.updateCount || 0 })} ·{" "}
                <TimeText k="timeOnly" iso={k.updateTime || k.createTime} />
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}

/** Support admins publish a known issue (English, as the API keeps it). */
function PublishIssue() {
  const [products, setProducts] = useState<{ name: string; displayName: string; active: boolean }[]>([]);
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api("GET", "/v2/products").then((d) => setProducts((d.products || []).filter((p: any) => p.active)), () => setProducts([]));
  }, []);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "");
    setBusy(true);
    try {
      const ki: KnownIssue = await api("POST", "/v2/knownIssues", {
        title: s("title").trim(),
        summary: s("summary").trim(),
        details: s("details"),
        productIds: f.getAll("productIds").map(String),
      });
      navigate(issueHref(ki.name));
    } catch (e) {
      setMsg(errText(e));
      setBusy(false);
    }
  };
  return (
    <form class="card stack" onSubmit={submit} aria-labelledby="sk-new">
      <h2 id="sk-new">{t("skPublish")}</h2>
      <p class="meta">{t("skEnglishOnly")}</p>
      <label>
        {t("title")}
        <input name="title" required maxLength={200} autoComplete="off" lang="en" />
      </label>
      <label>
        {t("skSummary")}
        <textarea name="summary" required rows={2} maxLength={1000} lang="en" />
      </label>
      <label>
        {t("skDetails")}
        <textarea name="details" rows={5} maxLength={30000} lang="en" />
      </label>
      <fieldset>
        <legend>{t("products")}</legend>
        {products.map((p) => (
          <label class="inline">
            <input type="checkbox" name="productIds" value={lastSegment(p.name)} /> {p.displayName}
          </label>
        ))}
      </fieldset>
      <button type="submit" disabled={busy}>
        {t("skPublishButton")}
      </button>
      {msg && (
        <Msg text={msg} alert />
      )}
    </form>
  );
}

/** On an issue's details page, for the support team: post an update
 * (e-mailed to every subscriber) and, for support admins, resolve. */
export function KnownIssueStaffActions({ ki, done }: { ki: KnownIssue; done: () => Promise<void> }) {
  const { me } = useSession();
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  if (!isSupport(me)) return null;
  const active = ki.state === "ACTIVE";
  const post = (path: string, ok: string) => async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const body = String(new FormData(form).get("body") || "");
    setBusy(true);
    try {
      await api("POST", "/v2/" + ki.name + path, { body });
      form.reset();
      setMsg(ok);
      await done();
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="sk-actions">
      <h2 id="sk-actions">{t("skActions")}</h2>
      {active && (
        <form class="stack" onSubmit={post("/updates", t("skUpdatePosted"))} aria-label={t("skPostUpdate")}>
          <label>
            {t("skUpdateBody")}
            <textarea name="body" required rows={4} maxLength={12800} lang="en" />
          </label>
          <button type="submit" disabled={busy}>
            {t("skPostUpdate")}
          </button>
        </form>
      )}
      {active && isSupportAdmin(me) && (
        <form class="stack" onSubmit={post(":resolve", t("skResolvedNote"))} aria-label={t("skResolve")}>
          <label>
            {t("skResolveBody")}
            <textarea name="body" required rows={3} maxLength={12800} lang="en" />
          </label>
          <button type="submit" class="danger" disabled={busy}>
            {t("skResolveButton")}
          </button>
        </form>
      )}
      <Msg text={msg} />
    </section>
  );
}
