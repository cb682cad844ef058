// Pages of the support team beyond the case queue: the queue of access
// requests people file from the access-required page, each approved into
// an organisation with a role (the person becomes a pending user, as if an
// admin had added them) or rejected with a reason the requester is sent.

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { errText, orgId } from "./session";
import { Pager, TimeText } from "./cases";
import { Msg } from "./msg";

export interface AccessRequest {
  name: string;
  email: string;
  uid: string;
  orgId?: string;
  cause?: string;
  message: string;
  state: string;
  createTime: string;
  answer?: {
    answeredBy?: string;
    answerTime?: string;
    reason?: string; // rejections
    organization?: string; // approvals
    roles?: { role: string }[];
    activateTime?: string;
  };
}

interface OrgOption {
  name: string;
  displayName: string;
  kind?: string;
  domains?: string[];
}

const approvableRoles = ["MEMBER", "VIEWER", "ORG_ADMIN"];

/** The access requests, newest first, a page at a time. */
export function AccessRequests() {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ accessRequests: AccessRequest[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const [orgs, setOrgs] = useState<OrgOption[]>([]);
  const [reload, setReload] = useState(0);
  const [note, setNote] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    setErr("");
    api("GET", "/v2/accessRequests" + qs({ pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [token, reload]);
  useEffect(() => {
    // The customer organisations a request can be approved into.
    api("GET", "/v2/organizations" + qs({ pageSize: 100 })).then(
      (d) => setOrgs((d.organizations || []).filter((o: OrgOption) => o.kind === "CUSTOMER")),
      () => setOrgs([]),
    );
  }, []);
  return (
    <section>
      <h1>{t("accessRequests")}</h1>
      {err && (
        <Msg text={err} alert />
      )}
      <Msg text={note} />
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.accessRequests.length === 0 && <p>{t("noAccessRequests")}</p>}
      {data && data.accessRequests.length > 0 && (
        <ul class="requests" aria-label={t("accessRequests")}>
          {data.accessRequests.map((r) => (
            <li class="card">
              <div class="title-row">
                <h2 class="addr">{r.email}</h2>
                <span class={"badge req-" + r.state.toLowerCase()}>{tk("reqState_", r.state)}</span>
              </div>
              <dl class="facts">
                <div>
                  <dt>{t("created")}</dt>
                  <dd>
                    <TimeText k="timeOnly" iso={r.createTime} />
                  </dd>
                </div>
                <div>
                  <dt>{t("reqCause")}</dt>
                  <dd>{tk("reqCause_", r.cause || "")}</dd>
                </div>
                {r.orgId && (
                  <div>
                    <dt>{t("requestedOrg")}</dt>
                    <dd>{r.orgId}</dd>
                  </div>
                )}
              </dl>
              <h3>{t("message")}</h3>
              <p class="pre">{r.message}</p>
              {r.state === "OPEN" ? <Answer r={r} orgs={orgs} done={(ok) => (setNote(ok), setReload((n) => n + 1))} /> : <Answered r={r} />}
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
      <datalist id="org-ids">
        {orgs.map((o) => (
          <option value={orgId(o.name)}>{o.displayName}</option>
        ))}
      </datalist>
    </section>
  );
}

/** What support answered: approved into an organisation, or rejected with
 * the reason the requester was sent. */
function Answered({ r }: { r: AccessRequest }) {
  const a = r.answer;
  if (!a) return null;
  return (
    <div class="answer">
      <p class="meta">
        {t("answeredBy", { who: a.answeredBy || "" })} · <TimeText k="timeOnly" iso={a.answerTime} />
      </p>
      {a.organization && (
        <p>
          <TimeText
            k="approvedInto"
            iso={a.activateTime}
            params={{ org: orgId(a.organization), roles: (a.roles || []).map((x) => tk("role_", x.role)).join(", ") }}
          />
        </p>
      )}
      {a.reason && (
        <p class="pre">
          {t("rejectReason")}: {a.reason}
        </p>
      )}
    </div>
  );
}

/** Approve into an organisation with a role, or reject with a reason. */
function Answer({ r, orgs, done }: { r: AccessRequest; orgs: OrgOption[]; done: (ok: string) => void }) {
  const domain = r.email.slice(r.email.lastIndexOf("@") + 1);
  const guess = r.orgId || orgId(orgs.find((o) => (o.domains || []).includes(domain))?.name || "");
  const [org, setOrg] = useState<string | null>(null);
  const [role, setRole] = useState("MEMBER");
  const [reason, setReason] = useState("");
  const [rejecting, setRejecting] = useState(false);
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const chosen = (org ?? guess).trim().replace(/^organizations\//, "");
  const send = async (verb: string, body: unknown, ok: string) => {
    setBusy(true);
    try {
      await api("POST", "/v2/" + r.name + ":" + verb, body);
      done(ok);
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="answer">
      <form
        class="filters"
        aria-label={t("approveFor", { email: r.email })}
        onSubmit={(e) => {
          e.preventDefault();
          send("approve", { organization: "organizations/" + chosen, roles: [{ role }] }, t("approved", { email: r.email }));
        }}
      >
        <label>
          {t("orgId")}
          <input name="org" required list="org-ids" autoComplete="off" value={chosen} onInput={(e) => setOrg((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t("role")}
          <select name="role" value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            {approvableRoles.map((x) => (
              <option value={x}>{tk("role_", x)}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {t("approve")}
        </button>
        {!rejecting && (
          <button type="button" class="danger" onClick={() => setRejecting(true)}>
            {t("reject")}
          </button>
        )}
      </form>
      {rejecting && (
        <form
          class="stack"
          aria-label={t("rejectFor", { email: r.email })}
          onSubmit={(e) => {
            e.preventDefault();
            send("reject", { reason }, t("rejected", { email: r.email }));
          }}
        >
          <label>
            {t("rejectReason")}
            <textarea name="reason" required rows={2} maxLength={1000} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit" class="danger" disabled={busy}>
            {t("reject")}
          </button>{" "}
          <button type="button" class="secondary" onClick={() => setRejecting(false)}>
            {t("cancel")}
          </button>
        </form>
      )}
      {msg && (
        <Msg text={msg} />
      )}
    </div>
  );
}
