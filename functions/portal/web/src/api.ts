// The public API, called like any other client: same origin, the Firebase
// ID token in the Authorization header (never in a URL), google.rpc.Status
// errors turned into ApiError.

import { initializeApp } from "firebase/app";
import {
  initializeAuth,
  indexedDBLocalPersistence,
  browserLocalPersistence,
  connectAuthEmulator,
  type Auth,
} from "firebase/auth";

export interface PortalConfig {
  projectId: string;
  apiKey: string;
  authDomain: string;
  authEmulatorUrl?: string;
}

let auth: Auth;
let config: PortalConfig;

export async function start(): Promise<Auth> {
  const res = await fetch("/config.json", { cache: "no-store" });
  const cfg: PortalConfig = (config = await res.json());
  const app = initializeApp({ apiKey: cfg.apiKey, authDomain: cfg.authDomain, projectId: cfg.projectId });
  // initializeAuth without a popup/redirect resolver keeps the bundle small
  // and loads no iframe: e-mail/password sign-in needs neither.
  auth = initializeAuth(app, { persistence: [indexedDBLocalPersistence, browserLocalPersistence] });
  if (cfg.authEmulatorUrl) connectAuthEmulator(auth, cfg.authEmulatorUrl, { disableWarnings: true });
  return auth;
}

export function getAuthInstance(): Auth {
  return auth;
}

/** The run-time configuration (GET /config.json), once start() resolved. */
export function portalConfig(): PortalConfig {
  return config;
}

export class ApiError extends Error {
  constructor(
    public httpStatus: number,
    public status: string,
    message: string,
    public reason = "",
    public metadata: Record<string, string> = {},
    /** google.rpc.BadRequest field violations (field path → description). */
    public fields: { field: string; description: string }[] = [],
  ) {
    super(message);
  }
}

async function token(): Promise<string> {
  const u = auth.currentUser;
  if (!u) throw new ApiError(401, "UNAUTHENTICATED", "not signed in");
  return u.getIdToken();
}

async function toError(res: Response): Promise<ApiError> {
  try {
    const body = await res.json();
    const e = body.error || {};
    const info = (e.details || []).find((d: any) => d && d.reason) || {};
    const fields = (e.details || []).flatMap((d: any) => (d && Array.isArray(d.fieldViolations) ? d.fieldViolations : []));
    return new ApiError(res.status, e.status || "", e.message || res.statusText, info.reason || "", info.metadata || {}, fields);
  } catch {
    return new ApiError(res.status, "", res.statusText);
  }
}

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Authorization: "Bearer " + (await token()) };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw await toError(res);
  if (res.status === 204) return undefined as T;
  return res.json();
}

export function qs(params: Record<string, string | number | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") u.set(k, String(v));
  const s = u.toString();
  return s ? "?" + s : "";
}

/** download fetches an attachment with the token in a header and hands the
 * bytes to the browser as a file (never as a page: it is user content). */
export async function download(name: string, filename: string): Promise<void> {
  const res = await fetch("/v2/" + name + ":download?alt=media", { headers: { Authorization: "Bearer " + (await token()) } });
  if (!res.ok) throw await toError(res);
  const blob = await res.blob();
  const url = URL.createObjectURL(new Blob([blob], { type: "application/octet-stream" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The largest file sent through the API itself; larger ones go straight
 * to Cloud Storage through a signed upload session. */
export const maxMediaUpload = 32 * 1024 * 1024;

/** upload sends one file to a case with progress (0…1). */
export async function upload(caseName: string, file: File, progress: (f: number) => void): Promise<void> {
  const auth = "Bearer " + (await token());
  if (file.size <= maxMediaUpload) {
    const url = "/upload/v2/" + caseName + "/attachments" + qs({ uploadType: "media", "attachment.filename": file.name });
    await xhr("POST", url, { Authorization: auth, "Content-Type": file.type || "application/octet-stream" }, file, progress);
    return;
  }
  // Larger files: a signed resumable upload straight to Cloud Storage.
  const session = await api("POST", "/v2/" + caseName + "/attachments:uploadSession", {
    filename: file.name,
    sizeBytes: String(file.size),
    mimeType: file.type || "application/octet-stream",
  });
  await signedUpload(session, file, progress);
}

/** What the API answers when it hands out a signed resumable upload
 * (attachment upload sessions, published resources). */
export interface SignedUpload {
  uploadUri: string;
  uploadMethod?: string;
  uploadHeaders?: Record<string, string>;
}

/** signedUpload sends file straight to Cloud Storage with progress (0…1):
 * the signed request starts the session (its Location is the session URI),
 * then the bytes go to that URI in one PUT. */
export async function signedUpload(session: SignedUpload, file: Blob, progress: (f: number) => void): Promise<void> {
  const start = await fetch(session.uploadUri, { method: session.uploadMethod || "POST", headers: session.uploadHeaders || {} });
  const location = start.headers.get("Location");
  if (!start.ok || !location) throw new ApiError(start.status, "UNAVAILABLE", "could not start the upload session");
  await xhr("PUT", location, {}, file, progress);
}

function xhr(method: string, url: string, headers: Record<string, string>, body: Blob, progress: (f: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, url);
    for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => e.lengthComputable && progress(e.loaded / e.total);
    x.onload = () => {
      if (x.status >= 200 && x.status < 300) {
        progress(1);
        resolve();
        return;
      }
      let msg = x.statusText;
      try {
        msg = JSON.parse(x.responseText).error.message || msg;
      } catch {}
      reject(new ApiError(x.status, "", msg));
    };
    x.onerror = () => reject(new ApiError(0, "UNAVAILABLE", "network error"));
    x.send(body);
  });
}

const psCache = new Map<string, Promise<any>>();

/** forget drops what was read for the signed-in person (on every change of
 * who is signed in). */
export function forget() {
  psCache.clear();
}

/** productSupport is the organisation's products, package and service
 * levels (GET …/productSupport), read once per page load and shared by the
 * pages that need it (a failed read is forgotten, so the next one retries). */
export function productSupport(org: string): Promise<any> {
  let p = psCache.get(org);
  if (!p) {
    p = api("GET", "/v2/organizations/" + encodeURIComponent(org) + "/productSupport");
    p.catch(() => psCache.delete(org));
    psCache.set(org, p);
  }
  return p;
}
