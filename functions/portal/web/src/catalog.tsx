// Catalogue administration for the vendor's support admins (the catalog
// function): support packages with every feature the API has, products
// with their support hours and phone numbers, and each product's case
// classifications. Nothing is deleted (cases point to it): packages,
// products and classifications are deactivated and reactivated. Everyone
// else gets the API's answer (403/404) shown as such.
//
//	/support/catalog                     packages and products
//	/support/catalog/new/package         create a package
//	/support/catalog/new/product         create a product
//	/support/catalog/packages/{id}       edit a package
//	/support/catalog/products/{id}       edit a product and its classifications
//
// (The create pages are not under packages/ and products/: "new" is a
// valid product id.)

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { match, navigate } from "./router";
import { errText, lastSegment } from "./session";
import { FieldError, ProblemSummary, invalid, problemOf, type FormProblem } from "./formerrors";
import { Msg } from "./msg";

interface ServiceLevel {
  priority: string;
  firstResponseMinutes: number;
  nextResponseMinutes: number;
}
interface RateLimit {
  perPerson?: number;
  perOrg?: number;
  windowSeconds?: number;
}
interface Package {
  name: string;
  displayName: string;
  active: boolean;
  supportCenterAccess: boolean;
  phoneSupport: boolean;
  escalation: boolean;
  supportHours: string;
  serviceLevels: ServiceLevel[];
  attachmentLimits: { maxBytes: string | number; maxPerCase: number };
  autoClose: { off: boolean; reminderDays: number; closeDays: number };
  rateLimits?: Record<string, RateLimit>;
}
interface Classification {
  name: string;
  id: string;
  displayName: string;
  active: boolean;
}
interface Product {
  name: string;
  displayName: string;
  active: boolean;
  supportHours: string;
  phoneNumbers: { region: string; number: string }[];
  classifications?: Classification[];
}

const priorities = ["P0", "P1", "P2", "P3", "P4"];
const limitedActions = ["caseCreate", "commentCreate", "upload", "userAdd", "accessRequest"];
const days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const zones = ["Asia/Seoul", "Asia/Tokyo", "UTC", "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles"];
const MiB = 1024 * 1024;

/** A page's one-time message carried over a navigation (create → edit page). */
let flash = "";

/** Catalog routes /support/catalog/… (one line in main.tsx). */
export function Catalog({ path }: { path: string }) {
  let m: Record<string, string> | null;
  if (path === "/support/catalog") return <CatalogHome />;
  if (path === "/support/catalog/new/package") return <PackageEdit key="" id="" />;
  if (path === "/support/catalog/new/product") return <ProductEdit key="" id="" />;
  if ((m = match("/support/catalog/packages/:id", path))) return <PackageEdit key={m.id} id={m.id} />;
  if ((m = match("/support/catalog/products/:id", path))) return <ProductEdit key={m.id} id={m.id} />;
  return <p role="alert">{t("notFound")}</p>;
}

function StateBadge({ active, offered }: { active: boolean; offered?: boolean }) {
  const text = offered ? (active ? t("catOffered") : t("catNotOffered")) : active ? t("catActive") : t("catInactive");
  return <span class={"badge " + (active ? "cat-active" : "cat-inactive")}>{text}</span>;
}

/** toggle deactivates or reactivates a package or product (POST :deactivate / :activate). */
async function toggle(item: { name: string; displayName: string; active: boolean }): Promise<string> {
  await api("POST", "/v2/" + item.name + (item.active ? ":deactivate" : ":activate"), {});
  return t(item.active ? "catDeactivated" : "catReactivated", { name: item.displayName });
}

function ActiveButton({ item, done }: { item: { name: string; displayName: string; active: boolean }; done: (msg: string) => void }) {
  return (
    <button type="button" class={item.active ? "danger" : "secondary"} onClick={() => toggle(item).then(done, (e) => done(errText(e)))}>
      {item.active ? t("catDeactivate", { name: item.displayName }) : t("catReactivate", { name: item.displayName })}
    </button>
  );
}

const yn = (b: boolean) => (b ? t("catYes") : t("catNo"));

function CatalogHome() {
  const [pkgs, setPkgs] = useState<Package[] | null>(null);
  const [prods, setProds] = useState<Product[] | null>(null);
  const [err, setErr] = useState("");
  const [note, setNote] = useState(flash);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    flash = "";
    Promise.all([api("GET", "/v2/packages"), api("GET", "/v2/products")]).then(
      ([a, b]) => {
        setPkgs(a.packages || []);
        setProds(b.products || []);
      },
      (e) => setErr(errText(e)),
    );
  }, [reload]);
  const done = (msg: string) => {
    setNote(msg);
    setReload((n) => n + 1);
  };
  if (err)
    return (
      <section>
        <h1>{t("catalog")}</h1>
        <Msg text={err} alert />
      </section>
    );
  return (
    <section>
      <h1>{t("catalog")}</h1>
      <p class="meta">{t("catNothingDeleted")}</p>
      <Msg text={note} />
      {!pkgs && <p class="loading">{t("loading")}</p>}
      {pkgs && prods && (
        <>
          <div class="title-row">
            <h2 id="cat-packages">{t("catPackages")}</h2>
            <a class="button" href="/support/catalog/new/package">
              {t("catNewPackage")}
            </a>
          </div>
          {pkgs.length === 0 && <p>{t("catNoPackages")}</p>}
          <ul class="requests" aria-labelledby="cat-packages">
            {pkgs.map((p) => (
              <li class="card">
                <div class="title-row">
                  <h3>
                    <a href={"/support/catalog/packages/" + encodeURIComponent(lastSegment(p.name))}>{p.displayName}</a>{" "}
                    <span class="meta">{lastSegment(p.name)}</span>
                  </h3>
                  <StateBadge active={p.active} />
                </div>
                <p class="meta">{t("catSummary", { sc: yn(p.supportCenterAccess), esc: yn(p.escalation), phone: yn(p.phoneSupport) })}</p>
                <ActiveButton item={p} done={done} />
              </li>
            ))}
          </ul>
          <div class="title-row">
            <h2 id="cat-products">{t("catProducts")}</h2>
            <a class="button" href="/support/catalog/new/product">
              {t("catNewProduct")}
            </a>
          </div>
          {prods.length === 0 && <p>{t("catNoProducts")}</p>}
          <ul class="requests" aria-labelledby="cat-products">
            {prods.map((p) => {
              const cs = p.classifications || [];
              return (
                <li class="card">
                  <div class="title-row">
                    <h3>
                      <a href={"/support/catalog/products/" + encodeURIComponent(lastSegment(p.name))}>{p.displayName}</a>{" "}
                      <span class="meta">{lastSegment(p.name)}</span>
                    </h3>
                    <StateBadge active={p.active} />
                  </div>
                  <p class="meta">
                    {t("hours")}: {p.supportHours} · {t("catClassCount", { n: cs.filter((c) => c.active).length, total: cs.length })}
                  </p>
                  <ActiveButton item={p} done={done} />
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

/** num reads an optional whole number from a form ("" → 0). */
function num(f: FormData, k: string): number {
  const v = String(f.get(k) || "").trim();
  return v === "" ? 0 : Number(v);
}

/** EditorHead is the top of a package or product page: back link, title
 * with its state, the status line and (for an existing one) deactivate or
 * reactivate. */
function EditorHead({ title, item, note, changed }: { title: string; item: { name: string; displayName: string; active: boolean } | null; note: string; changed: (msg: string) => void }) {
  return (
    <>
      <Back />
      <div class="title-row">
        <h1>{title}</h1>
        {item && <StateBadge active={item.active} />}
      </div>
      <Msg text={note} />
      {item && <ActiveButton item={item} done={changed} />}
    </>
  );
}

/** IdAndName are a catalogue form's first fields: the id (chosen once, at
 * creation; fixed afterwards) and the display name. */
function IdAndName({ item, id, idField, idLabel, problem }: { item: { displayName: string } | null; id: string; idField: string; idLabel: string; problem: FormProblem | null }) {
  return (
    <>
      {item ? (
        <p class="meta">{t("catIdFixed", { id })}</p>
      ) : (
        <div class="field">
          <label>
            {idLabel}
            <input name={idField} required autoComplete="off" {...invalid(problem, idField)} />
          </label>
          <FieldError p={problem} field={idField} />
        </div>
      )}
      <div class="field">
        <label>
          {t("displayName")}
          <input name="displayName" required defaultValue={item?.displayName || ""} {...invalid(problem, "displayName")} />
        </label>
        <FieldError p={problem} field="displayName" />
      </div>
    </>
  );
}

function Back() {
  return (
    <p>
      <a href="/support/catalog">{t("catBack")}</a>
    </p>
  );
}

/** Loads one catalogue item (or nothing for a new one) and the page's state. */
function useItem<T>(path: string) {
  const [item, setItem] = useState<T | null>(null);
  const [err, setErr] = useState("");
  const [version, setVersion] = useState(0);
  useEffect(() => {
    if (!path) return;
    api("GET", path).then(
      (x) => {
        setItem(x);
        setVersion((v) => v + 1);
      },
      (e) => setErr(errText(e)),
    );
  }, [path]);
  return { item, setItem: (x: T) => (setItem(x), setVersion((v) => v + 1)), err, version };
}

function PackageEdit({ id }: { id: string }) {
  const { item, setItem, err, version } = useItem<Package>(id ? "/v2/packages/" + encodeURIComponent(id) : "");
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [note, setNote] = useState(flash);
  const [busy, setBusy] = useState(false);
  useEffect(() => void (flash = ""), []);
  if (err)
    return (
      <section>
        <h1>{t("catalog")}</h1>
        <Msg text={err} alert />
        <Back />
      </section>
    );
  if (id && !item) return <p class="loading">{t("loading")}</p>;
  const p = item;
  const sl = (pr: string) => p?.serviceLevels.find((s) => s.priority === pr);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "").trim();
    const sent: string[] = []; // serviceLevels[i] → its priority
    const serviceLevels: ServiceLevel[] = [];
    for (const pr of priorities) {
      const a = s("sl-" + pr + "-first"),
        b = s("sl-" + pr + "-next");
      if (a === "" && b === "") continue;
      sent.push(pr);
      serviceLevels.push({ priority: pr, firstResponseMinutes: Number(a || 0), nextResponseMinutes: Number(b || 0) });
    }
    const rateLimits: Record<string, RateLimit> = {};
    for (const [k, v] of Object.entries(p?.rateLimits || {})) if (!limitedActions.includes(k)) rateLimits[k] = v; // kept as they are
    for (const a of limitedActions) {
      const rl = { perPerson: num(f, "rl-" + a + "-perPerson"), perOrg: num(f, "rl-" + a + "-perOrg"), windowSeconds: num(f, "rl-" + a + "-windowSeconds") };
      if (rl.perPerson || rl.perOrg || rl.windowSeconds) rateLimits[a] = rl;
    }
    const mib = s("maxMiB");
    const body = {
      displayName: s("displayName"),
      supportCenterAccess: f.has("supportCenterAccess"),
      phoneSupport: f.has("phoneSupport"),
      escalation: f.has("escalation"),
      supportHours: s("supportHours"),
      serviceLevels,
      attachmentLimits: { maxBytes: mib === "" ? "0" : String(Math.round(Number(mib) * MiB)), maxPerCase: num(f, "maxPerCase") },
      autoClose: { off: f.has("autoCloseOff"), reminderDays: num(f, "reminderDays"), closeDays: num(f, "closeDays") },
      rateLimits,
    };
    const rename = (field: string) => field.replace(/^serviceLevels\[(\d+)\]/, (_, i) => "serviceLevels." + (sent[Number(i)] || i));
    setBusy(true);
    setProblem(null);
    try {
      if (id) {
        const out = await api("PATCH", "/v2/packages/" + encodeURIComponent(id) + qs({ updateMask: Object.keys(body).join(",") }), body);
        setItem(out);
        setNote(t("saved"));
      } else {
        const newId = s("packageId");
        await api("POST", "/v2/packages" + qs({ packageId: newId }), body);
        flash = t("catCreated", { name: body.displayName });
        navigate("/support/catalog/packages/" + encodeURIComponent(newId), true);
      }
    } catch (e) {
      setProblem(problemOf(e, rename, "packageId"));
      setNote("");
    } finally {
      setBusy(false);
    }
  };
  const title = p ? t("catEditPackage", { name: p.displayName }) : t("catNewPackage");
  const numIn = (name: string, field: string, label: string, value: number | string | undefined, extra: Record<string, unknown> = {}) => (
    <div class="field">
      <label>
        {label}
        <input type="number" name={name} min="0" step="1" inputMode="numeric" defaultValue={value ? String(value) : ""} {...extra} {...invalid(problem, field)} />
      </label>
      <FieldError p={problem} field={field} />
    </div>
  );
  return (
    <section>
      <EditorHead title={title} item={p} note={note} changed={(msg) => (setNote(msg), api("GET", "/v2/" + p!.name).then(setItem, () => {}))} />
      <form key={version} class="card stack" onSubmit={submit} aria-label={title} noValidate>
        <ProblemSummary p={problem} />
        <IdAndName item={p} id={id} idField="packageId" idLabel={t("catPackageId")} problem={problem} />
        <fieldset>
          <legend>{t("catFeatures")}</legend>
          <label class="inline">
            <input type="checkbox" name="supportCenterAccess" defaultChecked={p ? p.supportCenterAccess : true} /> {t("catSupportCenter")}
          </label>
          <label class="inline">
            <input type="checkbox" name="escalation" defaultChecked={p?.escalation || false} /> {t("catEscalation")}
          </label>
          <label class="inline">
            <input type="checkbox" name="phoneSupport" defaultChecked={p?.phoneSupport || false} /> {t("catPhone")}
          </label>
        </fieldset>
        <div class="field">
          <label>
            {t("catPkgHours")}
            <input name="supportHours" defaultValue={p?.supportHours || ""} {...invalid(problem, "supportHours")} />
          </label>
          <FieldError p={problem} field="supportHours" />
        </div>
        <fieldset>
          <legend>{t("serviceLevels")}</legend>
          <p class="meta">{t("catSlHelp")}</p>
          {priorities.map((pr) => (
            <div class="grid2">
              {numIn("sl-" + pr + "-first", "serviceLevels." + pr + ".firstResponseMinutes", t("catFirstMinutes", { p: tk("prio_", pr) }), sl(pr)?.firstResponseMinutes)}
              {numIn("sl-" + pr + "-next", "serviceLevels." + pr + ".nextResponseMinutes", t("catNextMinutes", { p: tk("prio_", pr) }), sl(pr)?.nextResponseMinutes)}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("catAttachments")}</legend>
          <p class="meta">{t("catAttachHelp")}</p>
          <div class="grid2">
            {numIn("maxMiB", "attachmentLimits.maxBytes", t("catMaxMiB"), p ? Number(p.attachmentLimits.maxBytes) / MiB : "", { step: "any" })}
            {numIn("maxPerCase", "attachmentLimits.maxPerCase", t("catMaxPerCase"), p?.attachmentLimits.maxPerCase)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("catAutoClose")}</legend>
          <label class="inline">
            <input type="checkbox" name="autoCloseOff" defaultChecked={p?.autoClose.off || false} /> {t("catAutoCloseOff")}
          </label>
          <p class="meta">{t("catDaysHelp")}</p>
          <div class="grid2">
            {numIn("reminderDays", "autoClose.reminderDays", t("catReminderDays"), p?.autoClose.reminderDays)}
            {numIn("closeDays", "autoClose.closeDays", t("catCloseDays"), p?.autoClose.closeDays)}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("catRateLimits")}</legend>
          <p class="meta">{t("catRateHelp")}</p>
          {limitedActions.map((a) => {
            const rl = p?.rateLimits?.[a] || {};
            const label = tk("catAction_", a);
            return (
              <div class="grid3">
                {numIn("rl-" + a + "-perPerson", "rateLimits." + a + ".perPerson", t("catPerPerson", { a: label }), rl.perPerson)}
                {numIn("rl-" + a + "-perOrg", "rateLimits." + a + ".perOrg", t("catPerOrg", { a: label }), rl.perOrg)}
                {numIn("rl-" + a + "-windowSeconds", "rateLimits." + a + ".windowSeconds", t("catWindow", { a: label }), rl.windowSeconds)}
              </div>
            );
          })}
        </fieldset>
        <button type="submit" disabled={busy}>
          {p ? t("save") : t("catCreatePackage")}
        </button>
      </form>
    </section>
  );
}

/** Support hours as the API takes them: "24x7" or "Mon-Fri 08:00-20:00 Asia/Seoul". */
interface Hours {
  always: boolean;
  from: string;
  to: string;
  open: string;
  close: string;
  zone: string;
}

const abbrev: Record<string, string> = { KST: "Asia/Seoul", JST: "Asia/Tokyo", GMT: "UTC", CET: "Europe/Berlin", ET: "America/New_York", PT: "America/Los_Angeles" };

function parseHours(s: string): Hours {
  const def = { always: false, from: "Mon", to: "Fri", open: "09:00", close: "18:00", zone: "Asia/Seoul" };
  const v = (s || "").replace(/–/g, "-").trim();
  if (/^24[x/]7$/i.test(v)) return { ...def, always: true };
  const m = v.match(/^([A-Za-z]{3})(?:-([A-Za-z]{3}))?\s+(\d{1,2}:\d\d)-(\d{1,2}:\d\d)(?:\s+(\S+))?$/);
  if (!m) return def;
  const day = (d: string) => days.find((x) => x.toLowerCase() === d.toLowerCase()) || "Mon";
  const pad = (x: string) => x.padStart(5, "0");
  const zone = m[5] || "UTC";
  return { always: false, from: day(m[1]), to: day(m[2] || m[1]), open: pad(m[3]), close: pad(m[4]), zone: abbrev[zone.toUpperCase()] || zone };
}

function ProductEdit({ id }: { id: string }) {
  const { item, setItem, err, version } = useItem<Product>(id ? "/v2/products/" + encodeURIComponent(id) : "");
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [note, setNote] = useState(flash);
  const [busy, setBusy] = useState(false);
  const [always, setAlways] = useState<boolean | null>(null);
  const [rows, setRows] = useState<number[] | null>(null);
  const [nextRow, setNextRow] = useState(1000);
  useEffect(() => void (flash = ""), []);
  useEffect(() => {
    // A fresh copy of the product resets the form's dynamic parts.
    setAlways(null);
    setRows(null);
  }, [version]);
  if (err)
    return (
      <section>
        <h1>{t("catalog")}</h1>
        <Msg text={err} alert />
        <Back />
      </section>
    );
  if (id && !item) return <p class="loading">{t("loading")}</p>;
  const p = item;
  const hours = parseHours(p?.supportHours || "");
  const is247 = always ?? (p ? hours.always : false);
  const phones = p?.phoneNumbers || [];
  const rowIds = rows ?? phones.map((_, i) => i);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "").trim();
    const supportHours = is247 ? "24x7" : s("hFrom") + "-" + s("hTo") + " " + s("hOpen") + "-" + s("hClose") + " " + s("hZone");
    const body = {
      displayName: s("displayName"),
      supportHours,
      phoneNumbers: rowIds.map((r) => ({ region: s("region-" + r), number: s("number-" + r) })),
    };
    const rename = (field: string) => field.replace(/^phoneNumbers\[(\d+)\]/, (_, i) => "phoneNumbers." + (rowIds[Number(i)] ?? i));
    setBusy(true);
    setProblem(null);
    try {
      if (id) {
        const out = await api("PATCH", "/v2/products/" + encodeURIComponent(id) + qs({ updateMask: "displayName,supportHours,phoneNumbers" }), body);
        setItem(out);
        setNote(t("saved"));
      } else {
        const newId = s("productId");
        await api("POST", "/v2/products" + qs({ productId: newId }), body);
        flash = t("catCreated", { name: body.displayName });
        navigate("/support/catalog/products/" + encodeURIComponent(newId), true);
      }
    } catch (e) {
      setProblem(problemOf(e, rename, "productId"));
      setNote("");
    } finally {
      setBusy(false);
    }
  };
  const title = p ? t("catEditProduct", { name: p.displayName }) : t("catNewProduct");
  const daySelect = (name: string, label: string, value: string) => (
    <label>
      {label}
      <select name={name}>
        {days.map((d) => (
          <option value={d} selected={d === value}>
            {tk("catDay_", d)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section>
      <EditorHead title={title} item={p} note={note} changed={(msg) => (setNote(msg), api("GET", "/v2/" + p!.name).then(setItem, () => {}))} />
      <form key={version} class="card stack" onSubmit={submit} aria-label={title} noValidate>
        <ProblemSummary p={problem} />
        <IdAndName item={p} id={id} idField="productId" idLabel={t("catProductId")} problem={problem} />
        <fieldset {...invalid(problem, "supportHours")}>
          <legend>{t("hours")}</legend>
          <label class="inline">
            <input type="radio" name="hoursKind" checked={is247} onChange={() => setAlways(true)} /> {t("catHours247")}
          </label>
          <label class="inline">
            <input type="radio" name="hoursKind" checked={!is247} onChange={() => setAlways(false)} /> {t("catHoursSet")}
          </label>
          {!is247 && (
            <>
              <div class="grid2">
                {daySelect("hFrom", t("catFromDay"), hours.from)}
                {daySelect("hTo", t("catToDay"), hours.to)}
                <label>
                  {t("catOpens")}
                  <input type="time" name="hOpen" required defaultValue={hours.open} />
                </label>
                <label>
                  {t("catCloses")}
                  <input type="time" name="hClose" required defaultValue={hours.close} />
                </label>
              </div>
              <label>
                {t("catZone")}
                <input name="hZone" list="cat-zones" required autoComplete="off" defaultValue={hours.zone} />
                <datalist id="cat-zones">
                  {zones.map((z) => (
                    <option value={z} />
                  ))}
                </datalist>
              </label>
            </>
          )}
          <FieldError p={problem} field="supportHours" />
        </fieldset>
        <fieldset>
          <legend>{t("catPhones")}</legend>
          {rowIds.length === 0 && <p>{t("catNoPhones")}</p>}
          {rowIds.map((r, i) => (
            <div class="grid3" key={r}>
              <div class="field">
                <label>
                  {t("catRegion", { n: i + 1 })}
                  <input name={"region-" + r} defaultValue={phones[r]?.region || ""} autoComplete="off" {...invalid(problem, "phoneNumbers." + r + ".region")} />
                </label>
                <FieldError p={problem} field={"phoneNumbers." + r + ".region"} />
              </div>
              <div class="field">
                <label>
                  {t("catNumber", { n: i + 1 })}
                  <input name={"number-" + r} type="tel" defaultValue={phones[r]?.number || ""} autoComplete="off" {...invalid(problem, "phoneNumbers." + r + ".number")} />
                </label>
                <FieldError p={problem} field={"phoneNumbers." + r + ".number"} />
              </div>
              <div>
                <button type="button" class="secondary" onClick={() => setRows(rowIds.filter((x) => x !== r))}>
                  {t("catRemovePhone", { n: i + 1 })}
                </button>
              </div>
            </div>
          ))}
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setRows([...rowIds, nextRow]);
              setNextRow((n) => n + 1);
            }}
          >
            {t("catAddPhone")}
          </button>
        </fieldset>
        <button type="submit" disabled={busy}>
          {p ? t("save") : t("catCreateProduct")}
        </button>
      </form>
      {p && <Classifications product={p} reload={() => api("GET", "/v2/" + p.name).then(setItem, () => {})} />}
    </section>
  );
}

/** A product's classifications: rename, deactivate/reactivate, add. */
function Classifications({ product, reload }: { product: Product; reload: () => Promise<void> }) {
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [rowProblem, setRowProblem] = useState<{ id: string; p: FormProblem } | null>(null);
  const base = "/v2/" + product.name + "/classifications";
  const list = product.classifications || [];
  const component = (c: Classification) => c.displayName.replace(product.displayName + " > ", "");
  const patch = async (c: Classification, mask: string, body: object, ok: string) => {
    setRowProblem(null);
    try {
      await api("PATCH", base + "/" + encodeURIComponent(c.id) + qs({ updateMask: mask }), body);
      setNote(ok);
      await reload();
    } catch (e) {
      setRowProblem({ id: c.id, p: problemOf(e) });
      setNote("");
    }
  };
  const add = async (e: Event) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) || "").trim();
    setProblem(null);
    try {
      const c = await api("POST", base + qs({ classificationId: s("classificationId") }), { displayName: s("component") });
      form.reset();
      setNote(t("catClassAdded", { name: c.displayName }));
      await reload();
    } catch (e) {
      setProblem(problemOf(e, undefined, "classificationId"));
      setNote("");
    }
  };
  return (
    <section class="card">
      <h2 id="cat-classes">{t("catClassifications")}</h2>
      <p class="meta">{t("catClassHelp")}</p>
      <Msg text={note} />
      {list.length === 0 && <p>{t("catNoClasses")}</p>}
      <ul class="requests" aria-labelledby="cat-classes">
        {list.map((c) => {
          const rp = rowProblem?.id === c.id ? rowProblem.p : null;
          return (
            <li class="card" key={c.id}>
              <div class="title-row">
                <h3>
                  {c.displayName} <span class="meta">{c.id}</span>
                </h3>
                <StateBadge active={c.active} offered />
              </div>
              <ProblemSummary p={rp} />
              <form
                class="filters"
                onSubmit={(e) => {
                  e.preventDefault();
                  const v = String(new FormData(e.target as HTMLFormElement).get("component") || "").trim();
                  patch(c, "displayName", { displayName: v }, t("saved"));
                }}
              >
                <div class="field">
                  <label class="grow">
                    {t("catClassName", { name: c.id })}
                    <input name="component" defaultValue={component(c)} {...invalid(rp, "displayName")} />
                  </label>
                  <FieldError p={rp} field="displayName" />
                </div>
                <button type="submit">{t("catRename", { name: c.id })}</button>
                <button
                  type="button"
                  class={c.active ? "danger" : "secondary"}
                  onClick={() =>
                    patch(c, "active", { active: !c.active }, t(c.active ? "catClassOff" : "catClassOn", { name: c.displayName }))
                  }
                >
                  {c.active ? t("catDeactivate", { name: c.displayName }) : t("catReactivate", { name: c.displayName })}
                </button>
              </form>
            </li>
          );
        })}
      </ul>
      <form class="stack" onSubmit={add} aria-labelledby="cat-add-class" noValidate>
        <h3 id="cat-add-class">{t("catAddClass")}</h3>
        <ProblemSummary p={problem} />
        <div class="grid2">
          <div class="field">
            <label>
              {t("catClassId")}
              <input name="classificationId" required autoComplete="off" {...invalid(problem, "classificationId")} />
            </label>
            <FieldError p={problem} field="classificationId" />
          </div>
          <div class="field">
            <label>
              {t("catComponent")}
              <input name="component" required autoComplete="off" {...invalid(problem, "displayName")} />
            </label>
            <FieldError p={problem} field="displayName" />
          </div>
        </div>
        <button type="submit">{t("catAddClass")}</button>
      </form>
    </section>
  );
}
