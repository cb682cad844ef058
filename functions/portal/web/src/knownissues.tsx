// Known issues: the banner on an organisation's pages, the details page
// (summary, details, updates, "me too", stop updates) and the duplicate
// suggestion on the new-case form. "Me too" subscribes the caller to the
// issue's updates by e-mail and returns the organisation's one linked case
// (filed by the first "me too" in the organisation).

import { useEffect, useState } from "preact/hooks";
import { api, qs, productSupport } from "./api";
import { t, tk } from "./i18n";
import { navigate } from "./router";
import { useSession, orgId, lastSegment, errText, isSupport, type Me } from "./session";
import { caseHref, TimeText } from "./cases";
import { KnownIssueStaffActions } from "./staffknownissues";
import { Msg } from "./msg";

export interface KnownIssue {
  name: string;
  title: string;
  summary?: string;
  details?: string;
  productIds?: string[];
  state: string;
  createTime?: string;
  updateTime?: string;
  resolveTime?: string;
  updateCount?: number;
  subscriberCount?: string;
  subscribed?: boolean;
}

const issueName = /^knownIssues\/[a-z0-9-]+$/;

/** issueHref links an issue by its resource name, in the organisation the
 * reader came from (so "me too" files for that one). */
export function issueHref(name: string, org?: string): string {
  if (!issueName.test(name)) return "#";
  return "/" + name + (org ? qs({ org }) : "");
}

/** The organisations the caller may file cases in (and so say "me too"
 * for): customers they belong to with a role above viewer, and customers
 * that granted their reseller access. */
export function fileableOrgs(me: Me) {
  return me.organizations.filter(
    (o) =>
      (o.status === "ACTIVE" || !o.status) &&
      o.capacity !== "SUPPORT" &&
      o.kind !== "RESELLER" &&
      o.resellerAccessGranted !== false &&
      (o.roles || []).some((r) => r.role !== "VIEWER"),
  );
}

/** meToo subscribes the caller and returns the organisation's linked case. */
export async function meToo(issue: string, org: string): Promise<{ subscribed: boolean; case?: { name: string; displayName?: string } }> {
  return api("POST", "/v2/" + issue + ":meToo", { parent: "organizations/" + org });
}

/** The active known issues that touch the organisation's products, above
 * every page of the organisation. Failing quietly: the page works without. */
export function KnownIssueBanner({ org }: { org: string }) {
  const [issues, setIssues] = useState<KnownIssue[]>([]);
  useEffect(() => {
    let live = true;
    setIssues([]);
    Promise.all([api("GET", "/v2/knownIssues" + qs({ filter: "state=ACTIVE", pageSize: 10 })), productSupport(org).catch(() => null)]).then(
      ([d, ps]) => {
        if (!live) return;
        const mine = ps ? new Set<string>(ps.products.map((p: { id: string }) => p.id)) : null;
        setIssues((d.knownIssues || []).filter((k: KnownIssue) => !mine || (k.productIds || []).some((p) => mine.has(p))));
      },
      () => {},
    );
    return () => void (live = false);
  }, [org]);
  if (issues.length === 0) return null;
  return (
    <aside class="banner" aria-labelledby="ki-banner">
      <h2 id="ki-banner">{t("kiBanner")}</h2>
      <ul>
        {issues.map((k) => (
          <li>
            <a href={issueHref(k.name, org)}>{k.title}</a>
            {k.summary && <span class="summary"> — {k.summary}</span>}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** On the new-case form: active known issues of the chosen product, with
 * "me too" instead of a new case. */
export function DuplicateSuggestion({ org, product }: { org: string; product: string }) {
  const { me } = useSession();
  const [issues, setIssues] = useState<KnownIssue[]>([]);
  const [err, setErr] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setIssues([]);
    setErr("");
    if (!product) return;
    api("GET", "/v2/knownIssues" + qs({ filter: "state=ACTIVE AND productId=" + product, pageSize: 5 })).then(
      (d) => live && setIssues(d.knownIssues || []),
      () => {},
    );
    return () => void (live = false);
  }, [org, product]);
  if (issues.length === 0) return null;
  const canMeToo = fileableOrgs(me).some((o) => orgId(o.name) === org);
  const join = async (k: KnownIssue) => {
    setBusy(true);
    try {
      const r = await meToo(k.name, org);
      if (r.case) navigate(caseHref(r.case.name) + qs({ joined: lastSegment(k.name) }));
    } catch (e) {
      setErr(errText(e));
      setBusy(false);
    }
  };
  return (
    <aside class="notice suggestion" aria-labelledby="ki-suggest" aria-live="polite">
      <h2 id="ki-suggest">{t("kiSuggest")}</h2>
      <ul>
        {issues.map((k) => (
          <li>
            <a href={issueHref(k.name, org)}>{k.title}</a>
            {k.summary && <p>{k.summary}</p>}
            {canMeToo && (
              <button type="button" class="secondary" disabled={busy} onClick={() => join(k)} aria-label={t("kiMeTooFor", { title: k.title })}>
                {t("kiMeTooInstead")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {err && (
        <Msg text={err} alert />
      )}
    </aside>
  );
}

/** The details page of a known issue (linked from the banner and from the
 * update e-mails: {PORTAL_URL}/knownIssues/{id}). */
export function KnownIssuePage({ id, org }: { id: string; org: string }) {
  const { me } = useSession();
  const name = "knownIssues/" + id;
  const [ki, setKi] = useState<KnownIssue | null>(null);
  const [updates, setUpdates] = useState<any[]>([]);
  const [err, setErr] = useState("");
  const [msg, setMsg] = useState("");
  const [linked, setLinked] = useState<{ name: string; displayName?: string } | null>(null);
  const orgs = fileableOrgs(me);
  const [chosen, setChosen] = useState(orgs.find((o) => orgId(o.name) === (org || localStorage.getItem("org")))?.name || orgs[0]?.name || "");
  const [busy, setBusy] = useState(false);
  const load = async () => {
    try {
      const [k, u] = await Promise.all([api<KnownIssue>("GET", "/v2/" + name), api("GET", "/v2/" + name + "/updates" + qs({ pageSize: 50 }))]);
      setKi(k);
      setUpdates(u.updates || []);
    } catch (e) {
      setErr(errText(e));
    }
  };
  useEffect(() => {
    setKi(null);
    setErr("");
    setLinked(null);
    load();
  }, [name]);
  if (err) return <Msg text={err} alert />;
  if (!ki) return <p class="loading">{t("loading")}</p>;
  const active = ki.state === "ACTIVE";
  const join = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      const r = await meToo(name, orgId(chosen));
      setLinked(r.case || null);
      setMsg(t("kiJoined"));
      await load();
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };
  const stop = async () => {
    setBusy(true);
    try {
      await api("POST", "/v2/" + name + ":unsubscribe", {});
      setMsg(t("kiStopped"));
      await load();
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <article class="known-issue">
      <div class="title-row">
        <h1>{ki.title}</h1>
        <span class={"badge ki-" + ki.state.toLowerCase()}>{tk("kiState_", ki.state)}</span>
      </div>
      <dl class="facts">
        <div>
          <dt>{t("kiPublished")}</dt>
          <dd>
            <TimeText k="timeOnly" iso={ki.createTime} />
          </dd>
        </div>
        {ki.updateTime && (
          <div>
            <dt>{t("updated")}</dt>
            <dd>
              <TimeText k="timeOnly" iso={ki.updateTime} />
            </dd>
          </div>
        )}
        {ki.resolveTime && (
          <div>
            <dt>{t("kiResolved")}</dt>
            <dd>
              <TimeText k="timeOnly" iso={ki.resolveTime} />
            </dd>
          </div>
        )}
        <div>
          <dt>{t("products")}</dt>
          <dd>{(ki.productIds || []).join(", ")}</dd>
        </div>
        {ki.subscriberCount !== undefined && (
          <div>
            <dt>{t("kiFollowers")}</dt>
            <dd>{ki.subscriberCount}</dd>
          </div>
        )}
      </dl>
      {ki.summary && <p class="lead">{ki.summary}</p>}
      {ki.details && <p class="pre">{ki.details}</p>}
      <KnownIssueStaffActions ki={ki} done={load} />
      {!isSupport(me) && (
        <section class="card">
          <h2>{t("kiAffected")}</h2>
          {ki.subscribed && <p>{t("kiSubscribed")}</p>}
          {active && orgs.length > 0 && (
            <form class="filters" onSubmit={join}>
              {orgs.length > 1 && (
                <label>
                  {t("organization")}
                  <select name="org" value={chosen} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
                    {orgs.map((o) => (
                      <option value={o.name}>{o.displayName}</option>
                    ))}
                  </select>
                </label>
              )}
              <button type="submit" disabled={busy}>
                {ki.subscribed ? t("kiShowCase") : t("kiMeToo")}
              </button>
              {ki.subscribed && (
                <button type="button" class="secondary" disabled={busy} onClick={stop}>
                  {t("kiStop")}
                </button>
              )}
            </form>
          )}
          {active && !ki.subscribed && orgs.length > 0 && <p class="meta">{t("kiMeTooHelp")}</p>}
          {!active && <p>{t("kiResolvedHelp")}</p>}
          {msg && (
            <Msg text={msg} />
          )}
          {linked && (
            <p>
              {t("kiLinkedCase")}: <a href={caseHref(linked.name)}>{linked.displayName || "#" + lastSegment(linked.name)}</a>
            </p>
          )}
        </section>
      )}
      <section>
        <h2>{t("kiUpdates")}</h2>
        {updates.length === 0 && <p>{t("kiNoUpdates")}</p>}
        <ol class="thread">
          {updates.map((u) => (
            <li class={"comment support" + (u.resolution ? " resolution" : "")}>
              <div class="meta">
                {u.resolution && <span class="badge support">{t("kiResolution")}</span>} <TimeText k="timeOnly" iso={u.createTime} />
              </div>
              <p class="pre">{u.body}</p>
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
