// Private resources for support admins: publish a resource (title,
// description, kind, version, products, packages, file) whose file goes
// straight to Cloud Storage through the signed resumable upload the API
// hands out, with its state followed until the size and SHA-256 check has
// decided (READY or REJECTED); publish a new version that supersedes one;
// withdraw one for good; and read who downloaded each (the download log).
// Customers keep their own page (resources.tsx).

import { useEffect, useRef, useState } from "preact/hooks";
import { api, qs, signedUpload } from "./api";
import { t, tk } from "./i18n";
import { useSession, isSupportAdmin, errText, lastSegment, orgId } from "./session";
import { Pager, Progress, TimeText } from "./cases";
import { sha256File } from "./sha256";
import { size, type Resource } from "./resources";
import { Msg } from "./msg";

interface StaffResource extends Resource {
  supersedes?: string;
  rejectReason?: string;
}

interface Named {
  name: string;
  displayName: string;
  active?: boolean;
}

const kinds = ["DOWNLOAD", "DOCUMENT"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function StaffResources() {
  const { me } = useSession();
  const admin = isSupportAdmin(me);
  const [tokens, setTokens] = useState<string[]>([""]);
  const [kind, setKind] = useState("");
  const [product, setProduct] = useState("");
  const [data, setData] = useState<{ resources: StaffResource[]; nextPageToken?: string } | null>(null);
  const [products, setProducts] = useState<Named[]>([]);
  const [packages, setPackages] = useState<Named[]>([]);
  const [err, setErr] = useState("");
  const [note, setNote] = useState("");
  const [reload, setReload] = useState(0);
  const [base, setBase] = useState<StaffResource | null>(null);
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    if (!admin) return;
    let live = true;
    setData(null);
    setErr("");
    const filter = [kind && "kind=" + kind, product && "productId=" + product].filter(Boolean).join(" AND ");
    api("GET", "/v2/resources" + qs({ filter, pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [admin, token, kind, product, reload]);
  useEffect(() => {
    if (!admin) return;
    api("GET", "/v2/products").then((d) => setProducts(d.products || []), () => setProducts([]));
    api("GET", "/v2/packages").then((d) => setPackages(d.packages || []), () => setPackages([]));
  }, [admin]);
  if (!admin) {
    return (
      <section>
        <h1>{t("srTitle")}</h1>
        <p role="alert">{t("srOnlyAdmins")}</p>
      </section>
    );
  }
  const productName = new Map(products.map((p) => [lastSegment(p.name), p.displayName]));
  const packageName = new Map(packages.map((p) => [lastSegment(p.name), p.displayName]));
  const refresh = () => setReload((n) => n + 1);
  const filtered = (set: (v: string) => void) => (e: Event) => {
    set((e.target as HTMLSelectElement).value);
    setTokens([""]);
  };
  return (
    <section>
      <h1>{t("srTitle")}</h1>
      <PublishForm
        key={base?.name || "new"}
        base={base}
        products={products}
        packages={packages}
        cancel={() => setBase(null)}
        done={(msg) => {
          setNote(msg);
          setBase(null);
          refresh();
        }}
        changed={refresh}
      />
      <h2>{t("srAll")}</h2>
      <div class="filters">
        <label>
          {t("srKind")}
          <select name="kind" value={kind} onChange={filtered(setKind)}>
            <option value="">{t("srAnyKind")}</option>
            {kinds.map((k) => (
              <option value={k}>{tk("resKind_", k)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("products")}
          <select name="product" value={product} onChange={filtered(setProduct)}>
            <option value="">{t("srAnyProduct")}</option>
            {products.map((p) => (
              <option value={lastSegment(p.name)}>{p.displayName}</option>
            ))}
          </select>
        </label>
      </div>
      <Msg text={note} />
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.resources.length === 0 && <p>{t("srNone")}</p>}
      {data && data.resources.length > 0 && (
        <ul class="requests" aria-label={t("srAll")}>
          {data.resources.map((r) => (
            <ResourceCard
              r={r}
              productName={productName}
              packageName={packageName}
              newVersion={() => {
                setBase(r);
                document.getElementById("sr-form")?.scrollIntoView();
                setTimeout(() => document.querySelector<HTMLInputElement>("#sr-form input[name=title]")?.focus());
              }}
              withdrawn={() => {
                setNote(t("srWithdrawn", { title: r.title, version: r.version }));
                refresh();
              }}
            />
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}

/** The publish form: a new resource, or a new version of base (which it
 * then supersedes). The file is hashed here (the API wants its size and
 * SHA-256 up front), sent through the signed upload, and the resource is
 * read again until the check has decided. */
function PublishForm({
  base,
  products,
  packages,
  cancel,
  done,
  changed,
}: {
  base: StaffResource | null;
  products: Named[];
  packages: Named[];
  cancel: () => void;
  done: (msg: string) => void;
  changed: () => void;
}) {
  const [file, setFile] = useState<File | null>(null);
  const [hashing, setHashing] = useState<number | null>(null);
  const [progress, setProgress] = useState<Record<string, number>>({});
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  const live = useRef(true);
  useEffect(() => () => void (live.current = false), []);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    const form = e.target as HTMLFormElement;
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) || "").trim();
    setBusy(true);
    setStatus("");
    setProgress({});
    try {
      setHashing(0);
      const sha256 = await sha256File(file, (x) => live.current && setHashing(x));
      const body: Record<string, unknown> = {
        title: s("title"),
        description: String(f.get("description") || ""),
        kind: s("kind"),
        version: s("version"),
        productIds: f.getAll("productIds").map(String),
        packageIds: f.getAll("packageIds").map(String),
        filename: file.name,
        sizeBytes: String(file.size),
        sha256,
      };
      if (base) body.supersedes = base.name;
      const created = await api("POST", "/v2/resources", body);
      changed(); // the list shows it, being checked
      setProgress({ [file.name]: 0 });
      await signedUpload(created, file, (x) => live.current && setProgress({ [file.name]: x }));
      setStatus(t("srVerifying", { name: file.name }));
      const r = created.resource as StaffResource;
      const params = { title: r.title, version: r.version };
      // finalize-resource reads the whole object; a large file takes a while.
      for (let i = 0; i < 600 && live.current; i++) {
        await sleep(i < 30 ? 1000 : 5000);
        const now: StaffResource = await api("GET", "/v2/" + r.name);
        if (now.state === "READY") {
          setStatus("");
          form.reset();
          setFile(null);
          done(t("srReady", params));
          return;
        }
        if (now.state === "REJECTED") {
          setStatus(t("srRejected", { ...params, reason: tk("srReason_", now.rejectReason || "") }));
          changed();
          return;
        }
      }
      setStatus(t("srStillPending", params));
    } catch (e) {
      setStatus(errText(e));
    } finally {
      if (live.current) {
        setBusy(false);
        setHashing(null);
      }
    }
  };
  const heading = base ? t("srNewVersionOf", { title: base.title }) : t("srPublish");
  return (
    <form id="sr-form" class="card stack" onSubmit={submit} aria-labelledby="sr-new">
      <h2 id="sr-new">{heading}</h2>
      {base && <p class="meta">{t("srSupersedes", { name: base.title + " " + base.version })}</p>}
      <div class="grid2">
        <label>
          {t("title")}
          <input name="title" required maxLength={200} defaultValue={base?.title || ""} lang="en" />
        </label>
        <label>
          {t("srVersion")}
          <input name="version" required maxLength={50} autoComplete="off" />
        </label>
      </div>
      <label>
        {t("srDescription")}
        <textarea name="description" rows={3} maxLength={5000} defaultValue={base?.description || ""} lang="en" />
      </label>
      <label>
        {t("srKind")}
        <select name="kind" defaultValue={base?.kind || "DOWNLOAD"}>
          {kinds.map((k) => (
            <option value={k}>{tk("resKind_", k)}</option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t("products")}</legend>
        {products
          .filter((p) => p.active !== false)
          .map((p) => (
            <label class="inline">
              <input type="checkbox" name="productIds" value={lastSegment(p.name)} defaultChecked={base?.productIds.includes(lastSegment(p.name))} />{" "}
              {p.displayName}
            </label>
          ))}
      </fieldset>
      <fieldset>
        <legend>{t("srPackages")}</legend>
        {packages
          .filter((p) => p.active !== false)
          .map((p) => (
            <label class="inline">
              <input type="checkbox" name="packageIds" value={lastSegment(p.name)} defaultChecked={base?.packageIds.includes(lastSegment(p.name))} />{" "}
              {p.displayName}
            </label>
          ))}
      </fieldset>
      <label>
        {t("srFile")}
        <input type="file" name="file" required onChange={(e) => {
            setProgress({});
            setFile(((e.target as HTMLInputElement).files || [])[0] || null);
          }} />
      </label>
      {hashing !== null && file && (
        <label class="progress">
          {t("srHashing", { name: file.name })}
          <progress max={1} value={hashing} />
        </label>
      )}
      <Progress progress={progress} />
      <div class="actions">
        <button type="submit" disabled={busy || !file}>
          {t("srPublishButton")}
        </button>{" "}
        {base && (
          <button type="button" class="secondary" onClick={cancel} disabled={busy}>
            {t("cancel")}
          </button>
        )}
      </div>
      <Msg text={status} />
    </form>
  );
}

function ResourceCard({
  r,
  productName,
  packageName,
  newVersion,
  withdrawn,
}: {
  r: StaffResource;
  productName: Map<string, string>;
  packageName: Map<string, string>;
  newVersion: () => void;
  withdrawn: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [log, setLog] = useState(false);
  const [msg, setMsg] = useState("");
  const label = { title: r.title, version: r.version };
  const withdraw = async () => {
    try {
      await api("POST", "/v2/" + r.name + ":withdraw", {});
      withdrawn();
    } catch (e) {
      setMsg(errText(e));
    }
  };
  const logId = "sr-log-" + lastSegment(r.name);
  return (
    <li class="card">
      <div class="title-row">
        <h3>
          {r.title} <span class="meta">{r.version}</span>
        </h3>
        <span class={"badge res-" + r.state.toLowerCase()}>{tk("srState_", r.state)}</span>
      </div>
      <p class="meta">
        {tk("resKind_", r.kind)} · {r.productIds.map((p) => productName.get(p) || p).join(", ")} · {r.packageIds.map((p) => packageName.get(p) || p).join(", ")} ·{" "}
        <TimeText k="timeOnly" iso={r.createTime} />
      </p>
      <p class="meta addr">{t("srFileFacts", { file: r.filename, size: size(r.sizeBytes) })}</p>
      {r.description && <p class="pre">{r.description}</p>}
      {r.rejectReason && <p class="notice">{t("srRejectedBecause", { reason: tk("srReason_", r.rejectReason) })}</p>}
      {r.supersedes && <p class="meta">{t("srSupersedes", { name: lastSegment(r.supersedes) })}</p>}
      {r.supersededBy && <p class="notice">{t("srSupersededBy", { name: lastSegment(r.supersededBy) })}</p>}
      <p class="meta mono addr">SHA-256 {r.sha256}</p>
      <div class="actions">
        {r.state !== "WITHDRAWN" && (
          <button type="button" class="secondary" onClick={newVersion} aria-label={t("srNewVersionFor", label)}>
            {t("srNewVersion")}
          </button>
        )}{" "}
        <button type="button" class="secondary" aria-expanded={log} aria-controls={logId} onClick={() => setLog(!log)}>
          {t("srDownloads")}
        </button>{" "}
        {r.state !== "WITHDRAWN" && !confirming && (
          <button type="button" class="danger" onClick={() => setConfirming(true)} aria-label={t("srWithdrawFor", label)}>
            {t("srWithdraw")}
          </button>
        )}
      </div>
      {confirming && (
        <div class="answer" role="group" aria-label={t("srWithdrawFor", label)}>
          <p>{t("srWithdrawConfirm")}</p>
          <button type="button" class="danger" onClick={withdraw}>
            {t("srWithdrawYes")}
          </button>{" "}
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            {t("cancel")}
          </button>
        </div>
      )}
      {msg && (
        <Msg text={msg} alert />
      )}
      <div id={logId}>{log && <DownloadLog r={r} />}</div>
    </li>
  );
}

interface Download {
  email: string;
  organization: string;
  via?: string;
  time: string;
}

/** Who downloaded a resource, for which organisation, when (newest first). */
function DownloadLog({ r }: { r: StaffResource }) {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ downloads: Download[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    api("GET", "/v2/" + r.name + "/downloads" + qs({ pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [r.name, token]);
  if (err)
    return (
      <Msg text={err} alert />
    );
  if (!data) return <p class="loading">{t("loading")}</p>;
  if (data.downloads.length === 0) return <p>{t("srNoDownloads")}</p>;
  return (
    <div class="review">
      <table>
        <caption>{t("srDownloadsOf", { title: r.title, version: r.version })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("srWho")}</th>
            <th scope="col">{t("srFor")}</th>
            <th scope="col">{t("srVia")}</th>
            <th scope="col">{t("srWhen")}</th>
          </tr>
        </thead>
        <tbody>
          {data.downloads.map((d) => (
            <tr>
              <td class="addr">{d.email}</td>
              <td>{orgId(d.organization)}</td>
              <td>{d.via ? orgId(d.via) : "—"}</td>
              <td>
                <TimeText k="timeOnly" iso={d.time} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager tokens={tokens} setTokens={setTokens} next={data.nextPageToken} />
    </div>
  );
}
