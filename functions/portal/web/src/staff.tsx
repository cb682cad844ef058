// The support team: the vendor organisation's users (the users API on the
// vendor organisation, roles SUPPORT_AGENT and SUPPORT_ADMIN). Support
// admins list, add by e-mail with a role, change the role, disable,
// enable and remove staff; support agents see the list as the API lets
// them read it. The API keeps the last active support admin; its refusal
// is shown beside the person it concerns.

import { useEffect, useState } from "preact/hooks";
import { api, qs, ApiError } from "./api";
import { t, tk, fmtTime } from "./i18n";
import { useSession, errText, isSupportAdmin, orgId } from "./session";
import { Pager } from "./cases";
import { FieldError, ProblemSummary, invalid, problemOf, type FormProblem } from "./formerrors";
import { Msg } from "./msg";

const staffRoles = ["SUPPORT_AGENT", "SUPPORT_ADMIN"];

interface StaffUser {
  name: string;
  email: string;
  displayName?: string;
  status: string;
  activateTime?: string;
  roles?: { role: string }[];
}

const mainRole = (u: StaffUser) => ((u.roles || []).some((r) => r.role === "SUPPORT_ADMIN") ? "SUPPORT_ADMIN" : (u.roles || [])[0]?.role || "");

/** A refusal of a change to one person: the last support admin is kept
 * (FAILED_PRECONDITION), said in the reader's language before the API's words. */
function refusal(e: unknown): string {
  if (e instanceof ApiError && e.status === "FAILED_PRECONDITION" && /at least one active/.test(e.message)) return t("staffKeepAdmin") + " (" + e.message + ")";
  return errText(e);
}

export function Staff() {
  const { me } = useSession();
  const vendor = me.organizations.find((o) => o.capacity === "SUPPORT");
  if (!vendor)
    return (
      <section>
        <h1>{t("staff")}</h1>
        <Msg text={t("denied") + " " + t("staffNotStaff")} alert />
      </section>
    );
  return <StaffList org={orgId(vendor.name)} admin={isSupportAdmin(me)} self={me.email} />;
}

function StaffList({ org, admin, self }: { org: string; admin: boolean; self: string }) {
  const base = "/v2/organizations/" + encodeURIComponent(org) + "/users";
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ users: StaffUser[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const [note, setNote] = useState("");
  const [rowErr, setRowErr] = useState<{ name: string; text: string } | null>(null);
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [reload, setReload] = useState(0);
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    api("GET", base + qs({ pageSize: 50, pageToken: token })).then(
      (d) => live && setData({ users: d.users || [], nextPageToken: d.nextPageToken }),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [token, reload]);
  const act = async (u: StaffUser, f: () => Promise<unknown>, ok: string) => {
    setRowErr(null);
    try {
      await f();
      setNote(ok);
      setReload((n) => n + 1);
    } catch (e) {
      setNote("");
      setRowErr({ name: u.name, text: refusal(e) });
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) || "").trim();
    setProblem(null);
    try {
      const u = await api("POST", base, { email: s("email"), displayName: s("displayName"), language: s("language") || "en", roles: [{ role: s("role") }] });
      form.reset();
      setNote(t("userAdded", { email: u.email || s("email"), time: fmtTime(u.activateTime) }));
      // The list is read again (the newcomer may be on another page); the
      // rows stay in place after the other actions, which keeps focus.
      setData(null);
      setReload((n) => n + 1);
    } catch (e) {
      setNote("");
      setProblem(problemOf(e));
    }
  };
  return (
    <section>
      <h1>{t("staff")}</h1>
      <p class="meta">{t("staffIntro")}</p>
      {!admin && <p>{t("staffReadOnly")}</p>}
      <Msg text={note} />
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.users.length === 0 && <p>{t("staffNone")}</p>}
      {data && (
        <ul class="users" aria-label={t("staff")}>
          {data.users.map((u) => (
            <li class="card" key={u.name}>
              <div>
                <strong>{u.displayName || u.email}</strong> <span class="meta addr">{u.email}</span> {u.email === self && <span class="meta">{t("staffYou")}</span>}
              </div>
              <div class="meta">
                {t("status")}: {tk("status_", u.status, { time: fmtTime(u.activateTime) })}
              </div>
              <div class="meta roles">
                {t("role")}: {(u.roles || []).map((r) => tk("role_", r.role)).join(", ")}
              </div>
              {rowErr?.name === u.name && (
                <Msg text={rowErr.text} alert />
              )}
              {admin && (
                <form
                  class="filters"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const role = String(new FormData(e.target as HTMLFormElement).get("role"));
                    act(u, () => api("PATCH", "/v2/" + u.name, { roles: [{ role }] }), t("staffRoleSaved", { email: u.email, role: tk("role_", role) }));
                  }}
                >
                  <label>
                    {t("role")}
                    <select name="role" aria-label={t("staffRoleOf", { email: u.email })}>
                      {staffRoles.map((r) => (
                        <option value={r} selected={mainRole(u) === r}>
                          {tk("role_", r)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="submit" aria-label={t("staffSaveRole", { email: u.email })}>
                    {t("save")}
                  </button>
                  {u.status !== "DISABLED" ? (
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t("staffDisable", { email: u.email })}
                      onClick={() => act(u, () => api("POST", "/v2/" + u.name + ":disable", {}), t("staffDisabled", { email: u.email }))}
                    >
                      {t("disable")}
                    </button>
                  ) : (
                    <button
                      type="button"
                      class="secondary"
                      aria-label={t("staffEnable", { email: u.email })}
                      onClick={() => act(u, () => api("POST", "/v2/" + u.name + ":enable", {}), t("staffEnabled", { email: u.email }))}
                    >
                      {t("enable")}
                    </button>
                  )}
                  <button
                    type="button"
                    class="danger"
                    aria-label={t("staffRemove", { email: u.email })}
                    onClick={() => confirm(t("staffRemoveConfirm", { email: u.email })) && act(u, () => api("DELETE", "/v2/" + u.name), t("staffRemoved", { email: u.email }))}
                  >
                    {t("remove")}
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
      {admin && (
        <form class="card stack" onSubmit={add} aria-labelledby="staff-add" noValidate>
          <h2 id="staff-add">{t("staffAdd")}</h2>
          <ProblemSummary p={problem} />
          <div class="field">
            <label>
              {t("email")}
              <input type="email" name="email" required autoComplete="off" {...invalid(problem, "email")} />
            </label>
            <FieldError p={problem} field="email" />
          </div>
          <div class="field">
            <label>
              {t("displayName")}
              <input name="displayName" autoComplete="off" {...invalid(problem, "displayName")} />
            </label>
            <FieldError p={problem} field="displayName" />
          </div>
          <label>
            {t("role")}
            <select name="role">
              {staffRoles.map((r) => (
                <option value={r}>{tk("role_", r)}</option>
              ))}
            </select>
          </label>
          <label>
            {t("language")}
            <select name="language">
              <option value="en">English</option>
              <option value="ko">한국어</option>
            </select>
          </label>
          <button type="submit">{t("staffAddButton")}</button>
        </form>
      )}
    </section>
  );
}
