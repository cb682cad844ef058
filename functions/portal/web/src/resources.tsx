// Private resources: the software downloads and documents the vendor
// publishes for the customers of some products under some support
// packages. The list shows what the organisation is entitled to (the API
// lists what the caller may see; this page keeps the organisation's
// products and package); a download is a short-lived signed link the API
// issues and records, opened straight from Cloud Storage.

import { useEffect, useState } from "preact/hooks";
import { api, qs, productSupport } from "./api";
import { t, tk } from "./i18n";
import { errText, lastSegment } from "./session";
import { Pager, TimeText } from "./cases";
import { Msg } from "./msg";

export interface Resource {
  name: string;
  title: string;
  description?: string;
  kind: string;
  version: string;
  productIds: string[];
  packageIds: string[];
  filename: string;
  sizeBytes: string;
  sha256: string;
  state: string;
  createTime: string;
  supersededBy?: string;
}

/** A file size for people: KB, MB or GB. */
export function size(bytes: string): string {
  const n = Number(bytes);
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + " GB";
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + " MB";
  return Math.max(1, Math.round(n / 1024)) + " KB";
}

export function Resources({ org }: { org: string }) {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ resources: Resource[]; nextPageToken?: string } | null>(null);
  const [ps, setPs] = useState<any>(null);
  const [err, setErr] = useState("");
  const [msg, setMsg] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    setErr("");
    Promise.all([api("GET", "/v2/resources" + qs({ pageSize: 50, pageToken: token })), productSupport(org)]).then(
      ([d, p]) => {
        if (!live) return;
        setPs(p);
        setData(d);
      },
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [org, token]);
  const products = new Set<string>((ps?.products || []).map((p: { id: string }) => p.id));
  const pkg = ps?.supportPackage?.id;
  const names = new Map<string, string>((ps?.products || []).map((p: { id: string; displayName: string }) => [p.id, p.displayName]));
  const mine = (data?.resources || []).filter((r) => r.productIds.some((p) => products.has(p)) && (!pkg || r.packageIds.includes(pkg)));
  const get = async (r: Resource) => {
    setMsg("");
    try {
      const d = await api("GET", "/v2/" + r.name + ":download");
      // A signed Cloud Storage URL whose response is an attachment: the
      // browser saves the file and stays on this page.
      location.assign(d.downloadUri);
    } catch (e) {
      setMsg(errText(e));
    }
  };
  return (
    <section>
      <h1>{t("resources")}</h1>
      {err && (
        <Msg text={err} alert />
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && mine.length === 0 && <p>{t("noResources")}</p>}
      {mine.length > 0 && (
        <ul class="requests" aria-label={t("resources")}>
          {mine.map((r) => (
            <li class="card">
              <div class="title-row">
                <h2>
                  {r.title} <span class="meta">{r.version}</span>
                </h2>
                <span class="badge">{tk("resKind_", r.kind)}</span>
              </div>
              {r.description && <p class="pre">{r.description}</p>}
              <p class="meta">
                {r.productIds.map((p) => names.get(p) || p).join(", ")} · <TimeText k="timeOnly" iso={r.createTime} />
              </p>
              {r.supersededBy && <p class="notice">{t("resSuperseded", { name: lastSegment(r.supersededBy) })}</p>}
              {r.state === "READY" && !r.supersededBy && (
                <button type="button" onClick={() => get(r)} aria-label={t("download", { name: r.filename })}>
                  {t("resDownload")} ({size(r.sizeBytes)})
                </button>
              )}
              <p class="meta mono addr">SHA-256 {r.sha256}</p>
            </li>
          ))}
        </ul>
      )}
      {msg && (
        <Msg text={msg} alert />
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}
