// Feedback triage for the support team: what people sent with "Send
// feedback", newest first, filtered by kind and state, a page at a time,
// each marked as triaged once someone has looked at it. The message and
// the page address are the sender's text: shown as text, never as HTML or
// as a link.

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { useSession, isSupport, errText, orgId } from "./session";
import { Pager, TimeText } from "./cases";
import { Msg } from "./msg";

interface FeedbackItem {
  name: string;
  kind: string;
  message: string;
  pageUrl?: string;
  email: string;
  organization?: string;
  state: string;
  createTime: string;
  triageTime?: string;
  triagedBy?: string;
}

const kinds = ["IDEA", "PROBLEM", "PRAISE"];
const states = ["NEW", "TRIAGED"];

export function FeedbackTriage() {
  const { me } = useSession();
  const staff = isSupport(me);
  const [kind, setKind] = useState("");
  const [state, setState] = useState("NEW");
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ feedback: FeedbackItem[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const [note, setNote] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    if (!staff) return;
    let live = true;
    setData(null);
    setErr("");
    const filter = [kind && "kind=" + kind, state && "state=" + state].filter(Boolean).join(" AND ");
    api("GET", "/v2/feedback" + qs({ filter, pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [staff, kind, state, token]);
  if (!staff) {
    return (
      <section>
        <h1>{t("sfTitle")}</h1>
        <p role="alert">{t("sfOnlyStaff")}</p>
      </section>
    );
  }
  const filtered = (set: (v: string) => void) => (e: Event) => {
    set((e.target as HTMLSelectElement).value);
    setTokens([""]);
  };
  const triage = async (f: FeedbackItem) => {
    try {
      const done: FeedbackItem = await api("POST", "/v2/" + f.name + ":triage", {});
      setData((d) => d && { ...d, feedback: d.feedback.map((x) => (x.name === f.name ? done : x)) });
      setNote(t("sfTriaged", { email: f.email }));
    } catch (e) {
      setNote(errText(e));
    }
  };
  return (
    <section>
      <h1>{t("sfTitle")}</h1>
      <div class="filters">
        <label>
          {t("sfKind")}
          <select name="kind" value={kind} onChange={filtered(setKind)}>
            <option value="">{t("sfAnyKind")}</option>
            {kinds.map((k) => (
              <option value={k}>{tk("fbKind_", k)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("sfState")}
          <select name="state" value={state} onChange={filtered(setState)}>
            <option value="">{t("sfAnyState")}</option>
            {states.map((s) => (
              <option value={s}>{tk("sfState_", s)}</option>
            ))}
          </select>
        </label>
      </div>
      <Msg text={note} />
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.feedback.length === 0 && <p>{t("sfNone")}</p>}
      {data && data.feedback.length > 0 && (
        <ul class="requests" aria-label={t("sfTitle")}>
          {data.feedback.map((f) => (
            <li class="card">
              <div class="title-row">
                <h2 class="addr">{t("sfFrom", { email: f.email })}</h2>
                <span>
                  <span class="badge">{tk("fbKind_", f.kind)}</span> <span class={"badge fb-" + f.state.toLowerCase()}>{tk("sfState_", f.state)}</span>
                </span>
              </div>
              <p class="meta">
                <TimeText k="timeOnly" iso={f.createTime} /> · {f.organization ? t("sfOrg", { org: orgId(f.organization) }) : t("sfNoOrg")}
              </p>
              <p class="pre">{f.message}</p>
              {f.pageUrl && <p class="meta addr">{t("sfPage", { url: f.pageUrl })}</p>}
              {f.state === "TRIAGED" ? (
                <p class="meta">
                  <TimeText k="sfTriagedBy" iso={f.triageTime} params={{ who: f.triagedBy || "" }} />
                </p>
              ) : (
                <button type="button" class="secondary" onClick={() => triage(f)} aria-label={t("sfTriageFor", { email: f.email })} data-feedback={f.name}>
                  {t("sfTriage")}
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
