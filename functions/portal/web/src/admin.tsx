// Everything besides cases: the access-required page and its request form,
// product support information, user management, organisation settings
// (reseller access and the audit log), the caller's own settings, and the
// support team's queue.

import { useEffect, useState } from "preact/hooks";
import { api, qs, productSupport } from "./api";
import { t, tk, fmtTime } from "./i18n";
import { useSession, lastSegment, rolesIn, errText, orgId, type Me } from "./session";
import { Badge, Clocks, Pager, TimeText, caseHref, type Case } from "./cases";
import { Msg } from "./msg";

/** Shown to a signed-in person without usable access, with the reason. */
export function AccessRequired({ me }: { me: Me }) {
  const cause = me.access?.cause || "UNKNOWN";
  const pending = me.organizations.find((o) => o.status === "PENDING");
  const time = me.access?.activateTime || pending?.activateTime;
  const [message, setMessage] = useState("");
  const [msg, setMsg] = useState("");
  const [sent, setSent] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api("POST", "/v2/accessRequests", { message });
      setSent(true);
      setMsg(t("requestSent"));
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <section class="card narrow">
      <h1>{t("accessRequired")}</h1>
      <p class="cause" data-cause={cause}>
        {tk("cause_", cause, { time: fmtTime(time) })}
      </p>
      <p>{me.email}</p>
      {!sent && (
        <form onSubmit={submit}>
          <h2>{t("requestAccess")}</h2>
          <label>
            {t("requestMessage")}
            <textarea name="message" required rows={4} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
          </label>
          <button type="submit">{t("send")}</button>
        </form>
      )}
      {msg && <Msg text={msg} />}
    </section>
  );
}

/** Products the organisation bought: phone numbers, hours, service levels, "New case". */
export function Products({ org }: { org: string }) {
  const [ps, setPs] = useState<any>(null);
  const [err, setErr] = useState("");
  useEffect(() => {
    setPs(null);
    productSupport(org).then(setPs, (e) => setErr(errText(e)));
  }, [org]);
  if (err) return <Msg text={err} alert />;
  if (!ps) return <p class="loading">{t("loading")}</p>;
  return (
    <section>
      <h1>{t("products")}</h1>
      {ps.supportPackage && (
        <p>
          {t("package")}: <strong>{ps.supportPackage.displayName}</strong>
        </p>
      )}
      {ps.products.map((p: any) => (
        <section class="card">
          <div class="title-row">
            <h2>{p.displayName}</h2>
            <a class="button" href={"/organizations/" + org + "/cases/new?product=" + encodeURIComponent(p.id)}>
              {t("newCase")}
            </a>
          </div>
          {p.supportHours && (
            <p>
              {t("hours")}: {p.supportHours}
            </p>
          )}
          <h3>{t("phone")}</h3>
          {p.phone ? (
            <ul>
              {p.phone.numbers.map((n: any) => (
                <li>
                  {n.region}: <a href={"tel:" + n.number.replace(/[^+0-9]/g, "")}>{n.number}</a>
                </li>
              ))}
              {p.phone.hours && <li>{p.phone.hours}</li>}
            </ul>
          ) : (
            <p>{t("noPhone")}</p>
          )}
          <table>
            <caption>{t("serviceLevels")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("priority")}</th>
                <th scope="col">{t("firstResponse")}</th>
                <th scope="col">{t("nextResponse")}</th>
              </tr>
            </thead>
            <tbody>
              {(p.serviceLevels || []).map((s: any) => (
                <tr>
                  <th scope="row">{tk("prio_", s.priority)}</th>
                  <td>{t("minutes", { n: s.firstResponseMinutes })}</td>
                  <td>{t("minutes", { n: s.nextResponseMinutes })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </section>
  );
}

const customerRoles = ["ORG_ADMIN", "PRODUCT_ADMIN", "MEMBER", "VIEWER"];

type Product = { id: string; displayName: string };

/** The role a form asks for: organisation-wide, or on one product (product
 * admins always name their product; members and viewers may be limited). */
function roleFrom(f: FormData) {
  const role = String(f.get("role"));
  const product = String(f.get("product") || "");
  return role !== "ORG_ADMIN" && product ? { role, productIds: [product] } : { role };
}

function roleText(roles: { role: string; productIds?: string[] }[] | undefined, products: Product[]): string {
  return (roles || [])
    .map((r) => tk("role_", r.role) + (r.productIds?.length ? " (" + r.productIds.map((id) => products.find((p) => p.id === id)?.displayName || id).join(", ") + ")" : ""))
    .join(", ");
}

function ProductScope({ products, value, label }: { products: Product[]; value?: string; label?: string }) {
  return (
    <label>
      {t("product")}
      <select name="product" aria-label={label}>
        <option value="">{t("allProducts")}</option>
        {products.map((p) => (
          <option value={p.id} selected={p.id === value}>
            {p.displayName}
          </option>
        ))}
      </select>
    </label>
  );
}

/** User management: list, add by e-mail with a role, change roles, disable, remove. */
export function Users({ org }: { org: string }) {
  const [users, setUsers] = useState<any[] | null>(null);
  const [err, setErr] = useState("");
  const [msg, setMsg] = useState("");
  const [products, setProducts] = useState<Product[]>([]);
  const base = "/v2/organizations/" + encodeURIComponent(org) + "/users";
  const load = () => api("GET", base + qs({ pageSize: 100 })).then((d) => setUsers(d.users || []), (e) => setErr(errText(e)));
  useEffect(() => {
    setUsers(null);
    load();
    productSupport(org).then((d) => setProducts(d.products || []), () => setProducts([]));
  }, [org]);
  const act = async (f: () => Promise<unknown>, ok = t("saved")) => {
    try {
      await f();
      setMsg(ok);
      await load();
    } catch (e) {
      setMsg(errText(e));
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const email = String(f.get("email"));
    try {
      const u = await api("POST", base, {
        email,
        displayName: String(f.get("displayName") || ""),
        language: String(f.get("language") || "en"),
        roles: [roleFrom(f)],
      });
      form.reset();
      setMsg(t("userAdded", { email, time: fmtTime(u.activateTime) }));
      await load();
    } catch (e) {
      setMsg(errText(e));
    }
  };
  if (err) return <Msg text={err} alert />;
  return (
    <section>
      <h1>{t("users")}</h1>
      {!users && <p class="loading">{t("loading")}</p>}
      {users && (
        <ul class="users" aria-label={t("users")}>
          {users.map((u) => (
            <li class="card">
              <div>
                <strong>{u.displayName || u.email}</strong> <span class="meta">{u.email}</span>
              </div>
              <div class="meta">
                {t("status")}: {tk("status_", u.status, { time: fmtTime(u.activateTime) })}
              </div>
              <div class="meta roles">
                {t("role")}: {roleText(u.roles, products)}
              </div>
              <form
                class="filters"
                onSubmit={(e) => {
                  e.preventDefault();
                  const role = roleFrom(new FormData(e.target as HTMLFormElement));
                  act(() => api("PATCH", "/v2/" + u.name, { roles: [role] }));
                }}
              >
                <label>
                  {t("role")}
                  <select name="role" aria-label={t("role") + " " + u.email}>
                    {customerRoles.map((r) => (
                      <option value={r} selected={u.roles?.[0]?.role === r}>
                        {tk("role_", r)}
                      </option>
                    ))}
                  </select>
                </label>
                <ProductScope products={products} value={u.roles?.[0]?.productIds?.[0]} label={t("product") + " " + u.email} />
                <button type="submit">{t("save")}</button>
                {u.status !== "DISABLED" ? (
                  <button type="button" class="secondary" onClick={() => act(() => api("POST", "/v2/" + u.name + ":disable", {}))}>
                    {t("disable")}
                  </button>
                ) : (
                  <button type="button" class="secondary" onClick={() => act(() => api("POST", "/v2/" + u.name + ":enable", {}))}>
                    {t("enable")}
                  </button>
                )}
                <button
                  type="button"
                  class="danger"
                  onClick={() => confirm(t("removeConfirm", { email: u.email })) && act(() => api("DELETE", "/v2/" + u.name))}
                >
                  {t("remove")}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form class="card stack" onSubmit={add}>
        <h2>{t("addUser")}</h2>
        <label>
          {t("email")}
          <input type="email" name="email" required />
        </label>
        <label>
          {t("displayName")}
          <input name="displayName" required />
        </label>
        <label>
          {t("role")}
          <select name="role">
            {customerRoles.map((r) => (
              <option value={r} selected={r === "MEMBER"}>
                {tk("role_", r)}
              </option>
            ))}
          </select>
        </label>
        <ProductScope products={products} />
        <label>
          {t("language")}
          <select name="language">
            <option value="en">English</option>
            <option value="ko">한국어</option>
          </select>
        </label>
        <button type="submit">{t("addUser")}</button>
      </form>
      {msg && <Msg text={msg} />}
    </section>
  );
}

/** Organisation settings: reseller access grant/revoke and the audit log. */
export function OrgSettings({ org }: { org: string }) {
  const { me } = useSession();
  const [info, setInfo] = useState<any>(null);
  const [audit, setAudit] = useState<any[] | null>(null);
  const [msg, setMsg] = useState("");
  const base = "/v2/organizations/" + encodeURIComponent(org);
  const [version, setVersion] = useState(0);
  const load = () =>
    Promise.all([api("GET", base).then(setInfo), api("GET", base + "/auditLog" + qs({ pageSize: 50 })).then((d) => setAudit(d.auditEntries || []))]).catch((e) =>
      setMsg(errText(e)),
    );
  useEffect(() => {
    setInfo(null);
    setAudit(null);
    load();
  }, [org]);
  const admin = rolesIn(me, org).includes("ORG_ADMIN");
  const r = info?.reseller;
  const toggle = async () => {
    try {
      await api("POST", base + (r.accessGranted ? ":revokeResellerAccess" : ":grantResellerAccess"), {});
      setMsg(t("saved"));
      await load();
      setVersion((v) => v + 1);
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <section>
      <h1>{t("orgSettings")}</h1>
      {!info && <p class="loading">{t("loading")}</p>}
      {info && (
        <section class="card">
          <h2>{t("resellerAccess")}</h2>
          {!r && <p>{t("noReseller")}</p>}
          {r && (
            <>
              <p class="reseller-state">{t(r.accessGranted ? "resellerGranted" : "resellerNotGranted", { name: r.displayName || orgId(r.organization) })}</p>
              {admin && (
                <button type="button" class={r.accessGranted ? "danger" : ""} onClick={toggle}>
                  {r.accessGranted ? t("revoke") : t("grant")}
                </button>
              )}
            </>
          )}
        </section>
      )}
      {msg && <Msg text={msg} />}
      {admin && <AccessReview org={org} version={version} />}
      <section>
        <h2>{t("auditLog")}</h2>
        {audit && audit.length === 0 && <p>{t("noAudit")}</p>}
        {audit && audit.length > 0 && (
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t("updated")}</th>
                <th scope="col">{t("createdBy")}</th>
                <th scope="col">{t("details")}</th>
              </tr>
            </thead>
            <tbody>
              {audit.map((a) => (
                <tr>
                  <td>{fmtTime(a.time)}</td>
                  <td>{a.actor}</td>
                  <td>
                    <code>{a.action}</code> {a.target}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}

interface ReviewMember {
  user: string;
  email: string;
  displayName?: string;
  roles: { role: string; productIds?: string[] }[];
  scope?: string;
  productIds?: string[];
  activateTime?: string;
}

/** Who can read the organisation's cases right now and why (members with
 * role and scope, pending members, the reseller's people while access is
 * granted, the support team), as the access policy derives it. */
function AccessReview({ org, version }: { org: string; version: number }) {
  const [rv, setRv] = useState<any>(null);
  const [err, setErr] = useState("");
  useEffect(() => {
    setRv(null);
    setErr("");
    api("GET", "/v2/organizations/" + encodeURIComponent(org) + "/accessReview").then(setRv, (e) => setErr(errText(e)));
  }, [org, version]);
  const people = (list: ReviewMember[], pending = false) => (
    <table class="review">
      <thead>
        <tr>
          <th scope="col">{t("displayName")}</th>
          <th scope="col">{t("role")}</th>
          <th scope="col">{pending ? t("status") : t("product")}</th>
        </tr>
      </thead>
      <tbody>
        {list.map((m) => (
          <tr>
            <td>
              {m.displayName || m.email}
              {m.displayName && <div class="meta addr">{m.email}</div>}
            </td>
            <td>{m.roles.map((r) => tk("role_", r.role)).join(", ")}</td>
            <td>
              {pending ? (
                <TimeText k="activeFrom" iso={m.activateTime} />
              ) : (
                tk("scope_", m.scope || "ALL_PRODUCTS", { list: (m.productIds || []).join(", ") })
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  return (
    <section class="card">
      <h2>{t("review")}</h2>
      {err && <Msg text={err} alert />}
      {!rv && !err && <p class="loading">{t("loading")}</p>}
      {rv && (
        <>
          <p class="meta">
            <TimeText k="reviewAt" iso={rv.reviewTime} />
          </p>
          {!rv.supportCenterAccess && <p>{t("reviewNoAccess")}</p>}
          <h3>{t("reviewMembers")}</h3>
          {people(rv.members || [])}
          {(rv.pendingMembers || []).length > 0 && (
            <>
              <h3>{t("reviewPending")}</h3>
              {people(rv.pendingMembers, true)}
            </>
          )}
          {rv.reseller && (
            <>
              <h3>{t("reviewReseller", { name: rv.reseller.displayName || orgId(rv.reseller.organization) })}</h3>
              {rv.reseller.accessGranted ? (
                <>
                  <p>
                    <TimeText k="reviewResellerOn" iso={rv.reseller.since} />
                  </p>
                  {people(rv.reseller.people || [])}
                </>
              ) : (
                <p>{t("reviewResellerOff")}</p>
              )}
            </>
          )}
          <h3>{t("supportBadge")}</h3>
          <p>{t("reviewSupport")}</p>
          {rv.truncated && <p class="meta">{t("reviewTruncated")}</p>}
        </>
      )}
    </section>
  );
}

/** The caller's own settings: language and notification preference. */
export function Profile() {
  const { me, reload } = useSession();
  const [msg, setMsg] = useState("");
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    try {
      await api("PATCH", "/v2/me", { language: String(f.get("language")), notificationPreference: String(f.get("notificationPreference")) });
      await reload();
      setMsg(t("saved"));
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <section>
      <h1>{t("profile")}</h1>
      <p>{me.email}</p>
      <form class="card stack" onSubmit={submit}>
        <label>
          {t("language")}
          <select name="language">
            <option value="en" selected={me.profile.language !== "ko"}>
              English
            </option>
            <option value="ko" selected={me.profile.language === "ko"}>
              한국어
            </option>
          </select>
        </label>
        <label>
          {t("notifications")}
          <select name="notificationPreference">
            {["ALL", "NONE"].map((n) => (
              <option value={n} selected={me.profile.notificationPreference === n}>
                {tk("notif_", n)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("save")}</button>
      </form>
      {msg && <Msg text={msg} />}
    </section>
  );
}

/** The support team's queue across organisations: state (open, closed or
 * one working state), priority and escalated filters. */
export function Queue() {
  const [state, setState] = useState("OPEN");
  const [prio, setPrio] = useState("");
  const [esc, setEsc] = useState(false);
  const [sla, setSla] = useState("");
  const [order, setOrder] = useState("");
  const [filter, setFilter] = useState("state=OPEN");
  const [orderBy, setOrderBy] = useState("");
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ cases: Case[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    setData(null);
    setErr("");
    api("GET", "/v2/cases" + qs({ filter, orderBy, pageSize: 20, pageToken: token })).then(setData, (e) => setErr(errText(e)));
  }, [filter, orderBy, token]);
  return (
    <section>
      <h1>{t("queue")}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setTokens([""]);
          setFilter([state && "state=" + state, prio && "priority=" + prio, esc && "escalated=true", sla && "sla.state=" + sla].filter(Boolean).join(" AND "));
          setOrderBy(order);
        }}
      >
        <label>
          {t("state")}
          <select name="state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            <option value="">{t("any")}</option>
            <option value="OPEN">{t("open")}</option>
            {["NEW", "IN_PROGRESS_GOOGLE_SUPPORT", "ACTION_REQUIRED", "SOLUTION_PROVIDED"].map((st) => (
              <option value={st}>{tk("state_", st)}</option>
            ))}
            <option value="CLOSED">{t("closed")}</option>
          </select>
        </label>
        <label>
          {t("priority")}
          <select name="priority" value={prio} onChange={(e) => setPrio((e.target as HTMLSelectElement).value)}>
            <option value="">{t("any")}</option>
            {["P0", "P1", "P2", "P3", "P4"].map((p) => (
              <option value={p}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          {t("slaTitle")}
          <select name="sla" value={sla} onChange={(e) => setSla((e.target as HTMLSelectElement).value)}>
            <option value="">{t("any")}</option>
            {["BREACHED", "DUE_SOON", "ON_TRACK", "MET"].map((x) => (
              <option value={x}>{tk("slaState_", x)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("order")}
          <select name="order" value={order} onChange={(e) => setOrder((e.target as HTMLSelectElement).value)}>
            <option value="">{t("orderNewest")}</option>
            <option value="sla.nextDueTime">{t("orderDue")}</option>
          </select>
        </label>
        <label class="inline">
          <input type="checkbox" name="escalated" checked={esc} onChange={(e) => setEsc((e.target as HTMLInputElement).checked)} /> {t("escalatedOnly")}
        </label>
        <button type="submit">{t("apply")}</button>
      </form>
      {err && <Msg text={err} alert />}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.cases.length === 0 && <p>{t("noCases")}</p>}
      {data && (
        <ul class="case-list" aria-label={t("queue")}>
          {data.cases.map((c) => (
            <li>
              <a href={caseHref(c.name)}>{c.displayName}</a>
              <div class="meta">
                <Badge state={c.state} /> <span class="prio">{c.priority}</span> <span>
                  {t("org")}: {c.name.split("/")[1]}
                </span>{" "}
                <span>#{lastSegment(c.name)}</span> <span>{fmtTime(c.updateTime)}</span>
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
