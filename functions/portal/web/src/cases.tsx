// Cases: the list (filters, search, paging), the case page (thread,
// attachments, close + survey, escalate, reopen rule, support answering)
// and the new-case form (product → classification, priority, intake
// fields, attachments with progress). User content is only ever rendered
// as text: Preact escapes it, and nothing here sets innerHTML.

import { useEffect, useState } from "preact/hooks";
import { api, qs, download, upload, productSupport } from "./api";
import { t, tk, fmtTime, type Key } from "./i18n";
import { navigate } from "./router";
import { useSession, lastSegment, rolesIn, isSupport, errText } from "./session";
import { DuplicateSuggestion, issueHref } from "./knownissues";
import { Msg } from "./msg";

const priorities = ["P0", "P1", "P2", "P3", "P4"];
const states = ["NEW", "IN_PROGRESS_GOOGLE_SUPPORT", "ACTION_REQUIRED", "SOLUTION_PROVIDED", "CLOSED"];
const reopenWindowMs = 30 * 24 * 3600 * 1000;

interface Actor {
  displayName?: string;
  email?: string;
  googleSupport?: boolean;
}

export interface Case {
  name: string;
  displayName: string;
  description?: string;
  classification?: { id: string; displayName?: string };
  state: string;
  priority: string;
  createTime?: string;
  updateTime?: string;
  closeTime?: string;
  creator?: Actor;
  escalated?: boolean;
  escalation?: { reason: string; justification: string; escalateTime?: string };
  timeZone?: string;
  reopenCount?: number;
  previousCaseName?: string;
  [k: string]: any;
}

export function Badge({ state }: { state: string }) {
  return <span class={"badge state-" + state.toLowerCase()}>{tk("state_", state)}</span>;
}

const caseName = /^organizations\/[^/]+\/cases\/[^/]+$/;

/** caseHref links a case by its resource name; anything else (a crafted
 * previousCaseName, say "/evil.example/…") never becomes a link off-site. */
/** Pager moves through a list's pages: tokens is the stack of page tokens
 * seen so far ("" = the first page), next the token of the following page. */
export function Pager({ tokens, setTokens, next }: { tokens: string[]; setTokens: (t: string[]) => void; next?: string }) {
  return (
    <div class="pager">
      {tokens.length > 1 && (
        <button type="button" onClick={() => setTokens(tokens.slice(0, -1))}>
          {t("prev")}
        </button>
      )}
      {next && (
        <button type="button" onClick={() => setTokens([...tokens, next])}>
          {t("next")}
        </button>
      )}
    </div>
  );
}

export function caseHref(name: string): string {
  return caseName.test(name) ? "/" + name : "#";
}

/** The case list with state/priority filters, free-text search and cursor
 * pages (a stack of page tokens for "previous"). */
export function CaseList({ org }: { org: string }) {
  const [state, setState] = useState("");
  const [prio, setPrio] = useState("");
  const [text, setText] = useState("");
  const [applied, setApplied] = useState({ state: "", prio: "", text: "" });
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ cases: Case[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");

  useEffect(() => {
    setTokens([""]);
    setApplied({ state: "", prio: "", text: "" });
    setState("");
    setPrio("");
    setText("");
  }, [org]);

  const pageToken = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    setErr("");
    const terms: string[] = [];
    if (applied.state) terms.push("state=" + applied.state);
    if (applied.prio) terms.push("priority=" + applied.prio);
    const base = "/v2/organizations/" + encodeURIComponent(org) + "/cases";
    const req = applied.text.trim()
      ? api("GET", base + ":search" + qs({ query: [...terms, applied.text.trim()].join(" AND "), pageSize: 10, pageToken }))
      : api("GET", base + qs({ filter: terms.join(" AND "), pageSize: 10, pageToken }));
    req.then(
      (d) => {
        if (!live) return;
        setData(d);
        performance.mark("case-list-visible");
      },
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [org, applied, pageToken]);

  const submit = (e: Event) => {
    e.preventDefault();
    setTokens([""]);
    setApplied({ state, prio, text });
  };

  return (
    <section>
      <div class="title-row">
        <h1>{t("cases")}</h1>
        <a class="button" href={"/organizations/" + org + "/cases/new"}>
          {t("newCase")}
        </a>
      </div>
      <form class="filters" role="search" onSubmit={submit}>
        <label>
          {t("state")}
          <select name="state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            <option value="">{t("any")}</option>
            <option value="OPEN">{t("open")}</option>
            <option value="CLOSED">{t("closed")}</option>
          </select>
        </label>
        <label>
          {t("priority")}
          <select name="priority" value={prio} onChange={(e) => setPrio((e.target as HTMLSelectElement).value)}>
            <option value="">{t("any")}</option>
            {priorities.map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </label>
        <label class="grow">
          {t("searchCases")}
          <input type="search" name="q" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">{t("search")}</button>
      </form>
      {err && <Msg text={err} alert />}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.cases.length === 0 && <p>{t("noCases")}</p>}
      {data && data.cases.length > 0 && (
        <ul class="case-list" aria-label={t("cases")}>
          {data.cases.map((c) => (
            <li>
              <a href={caseHref(c.name)}>{c.displayName}</a>
              <div class="meta">
                <Badge state={c.state} /> <span class="prio">{c.priority}</span> <span>#{lastSegment(c.name)}</span> <span>
                  {t("updated")}: {fmtTime(c.updateTime)}
                </span>
                {c.escalated && <span class="badge escalated">{t("escalated")}</span>} <Clocks c={c} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}

/** TimeText renders a translated sentence with its {time} placeholder as a
 * <time> element (machine-readable instant, text in the user's locale and
 * time zone). */
export function TimeText({ k, iso, params }: { k: Key; iso?: string; params?: Record<string, string | number> }) {
  const [before, after = ""] = t(k, params).split("{time}");
  return (
    <>
      {before}
      <time dateTime={iso}>{fmtTime(iso)}</time>
      {after}
    </>
  );
}

/** The response deadline that is running (first response until support
 * answers, then the next one), or "" when none is. */
export function runningDue(c: Case): string {
  const s = c.sla;
  if (!s || c.state === "CLOSED") return "";
  if (s.nextDueTime) return s.nextDueTime;
  if (!s.firstResponseTime) return s.firstResponseDueTime || "";
  return s.nextResponseDueTime || "";
}

/** The clocks of a case in one line of a list: the SLA state and running
 * due time, and the automatic close when one is scheduled. */
export function Clocks({ c }: { c: Case }) {
  const due = runningDue(c);
  const st = c.state !== "CLOSED" ? c.sla?.state : "";
  return (
    <>
      {st && <span class={"badge sla-" + st.toLowerCase()}>{tk("slaState_", st)}</span>}
      {due && st !== "MET" && (
        <>
          {" "}
          <span class="due">
            <TimeText k="responseDue" iso={due} />
          </span>
        </>
      )}
      {c.autoCloseTime && c.state !== "CLOSED" && (
        <>
          {" "}
          <span class="due">
            <TimeText k="autoCloseShort" iso={c.autoCloseTime} />
          </span>
        </>
      )}
    </>
  );
}

/** The SLA block of the case page: the state while the case is open, the
 * first-response clock (target, due or answered) and the next-response
 * clock when one runs, counted in the product's support hours. */
function SlaFacts({ c }: { c: Case }) {
  const s = c.sla;
  if (!s || !(s.firstResponseMinutes > 0)) return null;
  const open = c.state !== "CLOSED";
  const clock = (due?: string) =>
    due && Date.now() > new Date(due).getTime() ? <TimeText k="slaOverdue" iso={due} /> : <TimeText k="slaDue" iso={due} />;
  return (
    <>
      {open && s.state && (
        <div>
          <dt>{t("slaTitle")}</dt>
          <dd>
            <span class={"badge sla-" + s.state.toLowerCase()}>{tk("slaState_", s.state)}</span>
          </dd>
        </div>
      )}
      <div>
        <dt>{t("slaFirst", { n: s.firstResponseMinutes })}</dt>
        <dd class="sla">
          <span>{s.firstResponseTime ? <TimeText k="slaMet" iso={s.firstResponseTime} /> : clock(s.firstResponseDueTime)}</span>
        </dd>
      </div>
      {open && s.firstResponseTime && s.nextResponseDueTime && s.nextResponseMinutes > 0 && (
        <div>
          <dt>{t("slaNext", { n: s.nextResponseMinutes })}</dt>
          <dd class="sla next">
            <span>{clock(s.nextResponseDueTime)}</span>
          </dd>
        </div>
      )}
    </>
  );
}

const maxSubscribers = 20;

/** The people in copy (CC) of a case: listed for everyone who sees the
 * case, added and removed by those who may edit it while it is open
 * (PATCH with updateMask=subscriberEmailAddresses). */
function Subscribers({ c, editable, done }: { c: Case; editable: boolean; done: (c: Case) => void }) {
  const list: string[] = c.subscriberEmailAddresses || [];
  const [email, setEmail] = useState("");
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const save = async (next: string[]) => {
    setBusy(true);
    try {
      done(await api<Case>("PATCH", "/v2/" + c.name + qs({ updateMask: "subscriberEmailAddresses" }), { subscriberEmailAddresses: next }));
      setMsg("");
      return true;
    } catch (e) {
      setMsg(errText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const v = email.trim();
    if (!v) return;
    if (list.some((x) => x.toLowerCase() === v.toLowerCase())) return setEmail("");
    if (list.length >= maxSubscribers) return setMsg(t("ccMax", { n: maxSubscribers }));
    if (await save([...list, v])) setEmail("");
  };
  return (
    <section class="cc" aria-labelledby="cc-title">
      <h2 id="cc-title">{t("cc")}</h2>
      <p class="meta">{t("ccHelp")}</p>
      {list.length === 0 ? (
        <p>{t("ccNone")}</p>
      ) : (
        <ul class="chips" aria-label={t("cc")}>
          {list.map((a) => (
            <li>
              <span class="addr">{a}</span>
              {editable && (
                <button type="button" class="link" disabled={busy} aria-label={t("ccRemove", { email: a })} onClick={() => save(list.filter((x) => x !== a))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form class="filters" onSubmit={add}>
          <label class="grow">
            {t("ccAdd")}
            <input type="email" name="cc" autoComplete="email" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
          </label>
          <button type="submit" class="secondary" disabled={busy}>
            {t("ccAddButton")}
          </button>
        </form>
      )}
      {msg && <Msg text={msg} alert />}
    </section>
  );
}

const intakeFields = ["productVersion", "stackTrace", "reproductionSteps", "relatedCode", "applicationFlow", "userImpact"] as const;

/** The case page. */
export function CasePage({ org, id, joined }: { org: string; id: string; joined?: boolean }) {
  const { me } = useSession();
  const name = "organizations/" + org + "/cases/" + id;
  const [c, setCase] = useState<Case | null>(null);
  const [comments, setComments] = useState<any[]>([]);
  const [atts, setAtts] = useState<any[]>([]);
  const [orgInfo, setOrgInfo] = useState<any>(null);
  const [err, setErr] = useState("");
  const [msg, setMsg] = useState("");
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      const [cs, cm, at] = await Promise.all([
        api<Case>("GET", "/v2/" + name),
        api("GET", "/v2/" + name + "/comments" + qs({ pageSize: 100 })),
        api("GET", "/v2/" + name + "/attachments" + qs({ pageSize: 100 })),
      ]);
      setCase(cs);
      setComments(cm.comments || []);
      setAtts(at.attachments || []);
    } catch (e) {
      setErr(errText(e));
    }
  };
  useEffect(() => {
    setCase(null);
    setErr("");
    load();
    api("GET", "/v2/organizations/" + encodeURIComponent(org)).then(setOrgInfo, () => setOrgInfo(null));
  }, [name]);

  if (err) return <Msg text={err} alert />;
  if (!c) return <p class="loading">{t("loading")}</p>;

  const support = isSupport(me);
  const roles = rolesIn(me, org);
  const canWrite = support || roles.some((r) => r !== "VIEWER") || me.organizations.some((o) => o.capacity === "RESELLER");
  const closed = c.state === "CLOSED";
  const closeTime = c.closeTime ? new Date(c.closeTime).getTime() : 0;
  const reopenUntil = closeTime + reopenWindowMs;
  const reopenable = closed && Date.now() < reopenUntil;
  const escalationAllowed = !!orgInfo?.supportPackage?.escalation && !closed && !c.escalated && canWrite && !support;

  const comment = async (e: Event) => {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    try {
      await api("POST", "/v2/" + name + "/comments", { body });
      setBody("");
      setMsg("");
      await load();
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };

  const close = async () => {
    if (!confirm(t("closeConfirm"))) return;
    try {
      await api("POST", "/v2/" + name + ":close", { name });
      await load();
    } catch (e) {
      setMsg(errText(e));
    }
  };

  return (
    <article class="case">
      <div class="title-row">
        <h1>{c.displayName}</h1>
        {!closed && canWrite && !support && (
          <button type="button" class="secondary" onClick={close}>
            {t("closeCase")}
          </button>
        )}
      </div>
      <dl class="facts">
        <div>
          <dt>{t("state")}</dt>
          <dd>
            <Badge state={c.state} />
          </dd>
        </div>
        <div>
          <dt>{t("priority")}</dt>
          <dd>{tk("prio_", c.priority)}</dd>
        </div>
        <div>
          <dt>{t("classification")}</dt>
          <dd>{c.classification?.displayName || c.classification?.id}</dd>
        </div>
        <div>
          <dt>{t("created")}</dt>
          <dd>{fmtTime(c.createTime)}</dd>
        </div>
        <div>
          <dt>{t("createdBy")}</dt>
          <dd>{c.creator?.displayName || c.creator?.email}</dd>
        </div>
        <div>
          <dt>{t("escalation")}</dt>
          <dd>
            {c.escalated ? t("escalated") + (c.escalation ? " — " + tk("reason_", c.escalation.reason) : "") : t("notEscalated")}
            {escalationAllowed && <Escalate name={name} done={load} />}
          </dd>
        </div>
        <SlaFacts c={c} />
        {c.knownIssueName && (
          <div>
            <dt>{t("knownIssue")}</dt>
            <dd>
              <a href={issueHref(c.knownIssueName, org)}>{t("kiShowIssue")}</a>
            </dd>
          </div>
        )}
        {c.previousCaseName && (
          <div>
            <dt>{t("previousCase")}</dt>
            <dd>
              <a href={caseHref(c.previousCaseName)}>#{lastSegment(c.previousCaseName)}</a>
            </dd>
          </div>
        )}
      </dl>
      {joined && c.knownIssueName && (
        <p role="status" class="notice">
          {t("kiCaseJoined")}
        </p>
      )}
      {c.autoCloseTime && !closed && (
        <p class="notice autoclose">
          <TimeText k={support ? "autoCloseSupport" : "autoClose"} iso={c.autoCloseTime} />
        </p>
      )}
      {support && <SupportAnswer c={c} done={load} />}
      <Subscribers c={c} editable={canWrite && !closed && !support} done={setCase} />
      <section>
        <h2>{t("description")}</h2>
        <p class="pre">{c.description}</p>
        <dl class="intake">
          {intakeFields
            .filter((f) => c[f])
            .map((f) => (
              <div>
                <dt>{t(f)}</dt>
                <dd class="pre">{String(c[f])}</dd>
              </div>
            ))}
          {c.usersAffectedPercent != null && (
            <div>
              <dt>{t("usersAffectedPercent")}</dt>
              <dd>{c.usersAffectedPercent}</dd>
            </div>
          )}
          {c.issueStartTime && (
            <div>
              <dt>{t("issueStartTime")}</dt>
              <dd>{fmtTime(c.issueStartTime)}</dd>
            </div>
          )}
          {c.issueEndTime && (
            <div>
              <dt>{t("issueEndTime")}</dt>
              <dd>{fmtTime(c.issueEndTime)}</dd>
            </div>
          )}
        </dl>
      </section>
      <section>
        <h2>{t("attachments")}</h2>
        {atts.length === 0 && <p>{t("noAttachments")}</p>}
        <ul class="attachments">
          {atts.map((a) => (
            <li>
              <button type="button" class="link" onClick={() => download(a.name, a.filename).catch((e) => setMsg(errText(e)))}>
                {t("download", { name: a.filename })}
              </button>{" "}
              <span class="meta">
                {Math.max(1, Math.round(Number(a.sizeBytes) / 1024))} KB · {fmtTime(a.createTime)}
              </span>
            </li>
          ))}
        </ul>
        {canWrite && !closed && <Uploader caseName={name} done={load} />}
      </section>
      <section>
        <h2>{t("comments")}</h2>
        {comments.length === 0 && <p>{t("noComments")}</p>}
        <ol class="thread">
          {comments.map((cm) => (
            <li class={cm.creator?.googleSupport ? "comment support" : "comment"}>
              <div class="meta">
                <strong>{cm.creator?.displayName || cm.creator?.email}</strong>
                {cm.creator?.googleSupport && <span class="badge support">{t("supportBadge")}</span>} <time dateTime={cm.createTime}>{fmtTime(cm.createTime)}</time>
              </div>
              <p class="pre">{cm.body}</p>
            </li>
          ))}
        </ol>
        {closed && (
          <div class="notice">
            <p>{t("caseClosed")}</p>
            {reopenable ? <p>{t("reopenWithin", { time: fmtTime(new Date(reopenUntil).toISOString()) })}</p> : <p>{t("reopenExpired")}</p>}
            {!reopenable && (
              <a class="button" href={"/organizations/" + org + "/cases/new?previous=" + encodeURIComponent(name)}>
                {t("openFollowUp")}
              </a>
            )}
          </div>
        )}
        {canWrite && (!closed || reopenable) && (
          <form onSubmit={comment}>
            <label>
              {t("addComment")}
              <textarea name="comment" rows={4} maxLength={12800} required value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
            </label>
            <button type="submit" disabled={busy}>
              {t("postComment")}
            </button>
          </form>
        )}
        {msg && <Msg text={msg} alert />}
      </section>
      {closed && !support && canWrite && <Survey name={name} />}
    </article>
  );
}

function Escalate({ name, done }: { name: string; done: () => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("BUSINESS_IMPACT");
  const [just, setJust] = useState("");
  const [err, setErr] = useState("");
  if (!open)
    return (
      <button type="button" class="secondary inline" onClick={() => setOpen(true)}>
        {t("escalate")}
      </button>
    );
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", "/v2/" + name + ":escalate", { name, escalation: { reason, justification: just } });
      setOpen(false);
      done();
    } catch (e) {
      setErr(errText(e));
    }
  };
  return (
    <form class="card" onSubmit={submit} aria-label={t("escalate")}>
      <label>
        {t("reason")}
        <select name="reason" value={reason} onChange={(e) => setReason((e.target as HTMLSelectElement).value)}>
          {["RESOLUTION_TIME", "TECHNICAL_EXPERTISE", "BUSINESS_IMPACT"].map((r) => (
            <option value={r}>{tk("reason_", r)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("justification")}
        <textarea name="justification" required rows={3} value={just} onInput={(e) => setJust((e.target as HTMLTextAreaElement).value)} />
      </label>
      <button type="submit">{t("escalate")}</button>{" "}
      <button type="button" class="secondary" onClick={() => setOpen(false)}>
        {t("cancel")}
      </button>
      {err && <Msg text={err} alert />}
    </form>
  );
}

function Survey({ name }: { name: string }) {
  const [rating, setRating] = useState("5");
  const [text, setText] = useState("");
  const [msg, setMsg] = useState("");
  const [done, setDone] = useState(false);
  if (done) return <Msg text={t("surveyThanks")} />;
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", "/v2/" + name + "/survey", { rating: Number(rating), text });
      setDone(true);
    } catch (e: any) {
      if (e?.status === "ALREADY_EXISTS") setDone(true);
      else setMsg(errText(e));
    }
  };
  return (
    <section class="card">
      <h2>{t("survey")}</h2>
      <form onSubmit={submit}>
        <fieldset class="rating">
          <legend>{t("rating")}</legend>
          {["1", "2", "3", "4", "5"].map((r) => (
            <label class="inline">
              <input type="radio" name="rating" value={r} checked={rating === r} onChange={() => setRating(r)} /> {r}
            </label>
          ))}
        </fieldset>
        <label>
          {t("surveyText")}
          <textarea name="surveyText" rows={2} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="submit">{t("send")}</button>
      </form>
      {msg && <Msg text={msg} alert />}
    </section>
  );
}

/** Support staff answer: state and priority (PATCH with updateMask). */
function SupportAnswer({ c, done }: { c: Case; done: () => void }) {
  const [state, setState] = useState(c.state);
  const [prio, setPrio] = useState(c.priority);
  const [msg, setMsg] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("PATCH", "/v2/" + c.name + qs({ updateMask: "state,priority" }), { state, priority: prio });
      setMsg(t("saved"));
      done();
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <form class="card filters" onSubmit={submit} aria-label={t("answer")}>
      <label>
        {t("state")}
        <select name="caseState" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          {states.map((s) => (
            <option value={s}>{tk("state_", s)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("priority")}
        <select name="casePriority" value={prio} onChange={(e) => setPrio((e.target as HTMLSelectElement).value)}>
          {priorities.map((p) => (
            <option value={p}>{tk("prio_", p)}</option>
          ))}
        </select>
      </label>
      <button type="submit">{t("changeState")}</button>
      {msg && <Msg text={msg} />}
    </form>
  );
}

/** Uploads files to a case, one progress bar each. */
function Uploader({ caseName, done }: { caseName: string; done: () => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [msg, setMsg] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await uploadAll(caseName, files, (n, f) => setProgress((p) => ({ ...p, [n]: f })));
      setMsg(files.map((f) => t("uploadDone", { name: f.name })).join(" "));
      setFiles([]);
      (e.target as HTMLFormElement).reset();
      done();
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <form onSubmit={submit} class="upload">
      <label>
        {t("addFiles")}
        <input
          type="file"
          name="files"
          multiple
          onChange={(e) => {
            setProgress({});
            setFiles(Array.from((e.target as HTMLInputElement).files || []));
          }}
        />
      </label>
      <Progress progress={progress} />
      <button type="submit" disabled={files.length === 0}>
        {t("upload")}
      </button>
      {msg && <Msg text={msg} />}
    </form>
  );
}

/** One bar per file sent (kept, full, once done, until the next choice). */
export function Progress({ progress }: { progress: Record<string, number> }) {
  return (
    <>
      {Object.entries(progress).map(([name, f]) => (
        <label class="progress">
          {t("uploading", { name })}
          <progress max={1} value={f} />
        </label>
      ))}
    </>
  );
}

async function uploadAll(caseName: string, files: File[], on: (name: string, f: number) => void) {
  for (const f of files) {
    on(f.name, 0);
    await upload(caseName, f, (x) => on(f.name, x));
  }
}

interface ProductSupport {
  supportPackage?: { id: string; displayName: string };
  products: { id: string; displayName: string; classifications: { id: string; displayName: string }[] }[];
}

/** The new-case form. */
export function NewCase({ org, previous, product }: { org: string; previous: string; product: string }) {
  const [ps, setPs] = useState<ProductSupport | null>(null);
  const [err, setErr] = useState("");
  const [prod, setProd] = useState(product);
  const [files, setFiles] = useState<File[]>([]);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    productSupport(org).then(setPs, (e) => setErr(errText(e)));
  }, [org]);
  if (!ps) return err ? <Msg text={err} alert /> : <p class="loading">{t("loading")}</p>;
  const classes = ps.products.find((p) => p.id === prod)?.classifications || [];
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;

  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "").trim();
    const when = (k: string) => (s(k) ? new Date(s(k)).toISOString() : undefined);
    const body: Record<string, unknown> = {
      displayName: s("displayName"),
      description: s("description"),
      classification: { id: s("classification") },
      priority: s("priority"),
      timeZone: s("timeZone") || tz,
      issueStartTime: when("issueStartTime"),
      issueEndTime: when("issueEndTime"),
      usersAffectedPercent: s("usersAffectedPercent") ? Number(s("usersAffectedPercent")) : undefined,
      previousCaseName: caseName.test(previous) ? previous : undefined,
      subscriberEmailAddresses: splitAddresses(s("subscribers")),
    };
    for (const k of intakeFields) if (s(k)) body[k] = s(k);
    setBusy(true);
    setErr("");
    try {
      const c = await api<Case>("POST", "/v2/organizations/" + encodeURIComponent(org) + "/cases", body);
      await uploadAll(c.name, files, (n, x) => setProgress((p) => ({ ...p, [n]: x })));
      navigate(caseHref(c.name));
    } catch (e) {
      setErr(errText(e));
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t("newCase")}</h1>
      {previous && (
        <p>
          {t("previousCase")}: <a href={caseHref(previous)}>#{lastSegment(previous)}</a>
        </p>
      )}
      <form class="stack" onSubmit={submit}>
        <label>
          {t("product")} <span class="req">({t("required")})</span>
          <select name="product" required value={prod} onChange={(e) => setProd((e.target as HTMLSelectElement).value)}>
            <option value="">{t("choose")}</option>
            {ps.products.map((p) => (
              <option value={p.id}>{p.displayName}</option>
            ))}
          </select>
        </label>
        <DuplicateSuggestion org={org} product={prod} />
        <label>
          {t("classification")} <span class="req">({t("required")})</span>
          <select name="classification" required disabled={!prod}>
            <option value="">{t("choose")}</option>
            {classes.map((c) => (
              <option value={c.id}>{c.displayName}</option>
            ))}
          </select>
        </label>
        <label>
          {t("priority")} <span class="req">({t("required")})</span>
          <select name="priority" required>
            {priorities.map((p) => (
              <option value={p} selected={p === "P3"}>
                {tk("prio_", p)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("title")} <span class="req">({t("required")})</span>
          <input name="displayName" required maxLength={200} />
        </label>
        <label>
          {t("description")} <span class="req">({t("required")})</span>
          <textarea name="description" required rows={5} />
        </label>
        <fieldset>
          <legend>{t("intake")}</legend>
          <div class="grid2">
            <label>
              {t("issueStartTime")}
              <input type="datetime-local" name="issueStartTime" />
            </label>
            <label>
              {t("issueEndTime")}
              <input type="datetime-local" name="issueEndTime" />
            </label>
            <label>
              {t("timeZone")}
              <input name="timeZone" value={tz} />
            </label>
            <label>
              {t("productVersion")}
              <input name="productVersion" />
            </label>
            <label>
              {t("usersAffectedPercent")}
              <input type="number" name="usersAffectedPercent" min={0} max={100} step="any" />
            </label>
          </div>
          {(["stackTrace", "reproductionSteps", "relatedCode", "applicationFlow", "userImpact"] as const).map((k) => (
            <label>
              {t(k)}
              <textarea name={k} rows={3} class={k === "stackTrace" || k === "relatedCode" ? "mono" : ""} />
            </label>
          ))}
        </fieldset>
        <label>
          {t("ccNew")}
          <input name="subscribers" type="text" inputMode="email" autoComplete="off" />
        </label>
        <label>
          {t("addFiles")}
          <input type="file" name="files" multiple onChange={(e) => setFiles(Array.from((e.target as HTMLInputElement).files || []))} />
        </label>
        <Progress progress={progress} />
        <button type="submit" disabled={busy}>
          {t("create")}
        </button>
        {err && <Msg text={err} alert />}
      </form>
    </section>
  );
}

/** splitAddresses reads a comma- (or space-, semicolon-) separated list of
 * e-mail addresses; the API checks each one and names the bad one. */
function splitAddresses(v: string): string[] | undefined {
  const list = v.split(/[\s,;]+/).filter(Boolean);
  return list.length ? list : undefined;
}
