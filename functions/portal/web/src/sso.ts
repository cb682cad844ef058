// Single sign-on through an organisation's identity provider (OIDC or SAML,
// registered in Identity Platform by PATCH …/ssoConfig), with no
// third-party script and no frame. The Auth SDK's signInWithRedirect would
// load Google's gapi loader (https://apis.google.com) into this page and a
// helper frame from the auth domain; instead the portal runs the same
// redirect flow over Identity Platform's REST API, all on its own origin:
//
//  1. startSSO: accounts:createAuthUri {providerId, continueUri:
//     <origin>/__/auth/handler} answers the provider's sign-in address and
//     a sessionId that binds the provider's answer to this request. The
//     sessionId, provider and page to return to are kept in this tab's
//     sessionStorage (nothing else is: no token exists yet), then the tab
//     goes to the provider.
//  2. The provider sends the person back to /__/auth/handler: its response
//     in the query (GET) or as a posted form, which the portal function puts
//     in <meta name="sc-idp-response"> (script cannot read a request body).
//  3. takeCallback, the first thing the app does: copies the response out
//     of the address and the page, and replaces the history entry with the
//     page to return to, so the response is in no URL the app keeps, no
//     history entry and no DOM.
//  4. finishSSO: only for a flow this tab started (a response nobody asked
//     for is dropped: no login CSRF) and within ten minutes, and once (the
//     pending record is deleted before use), hands the response with its
//     sessionId to accounts:signInWithIdp through the SDK's
//     signInWithCredential, so the SDK keeps the session (refresh,
//     persistence, onAuthStateChanged) exactly as after its own redirect.
//
// Identity Platform checks the response (signature, audience, the request it
// answers); the API then trusts the token's provider only for the
// organisation that names it and only for addresses in its domains.

import { AuthCredential, signInWithCredential } from "firebase/auth";
import { getAuthInstance, portalConfig } from "./api";

/** Where providers send people back (served by the portal function). */
export const callbackPath = "/__/auth/handler";

const pendingKey = "sso.pending";
const maxAgeMs = 10 * 60 * 1000;

export interface SSOProvider {
  type: string; // OIDC | SAML
  providerId?: string;
  displayName?: string;
}

interface Pending {
  sessionId: string;
  providerId: string;
  returnTo: string;
  expires: number;
}

/** A provider's answer, taken out of the page. */
export interface Callback {
  requestUri: string;
  postBody: string;
}

/** SSOError carries the key of the message the sign-in page shows. */
export class SSOError extends Error {
  constructor(public key: "ssoStartFailed" | "ssoNotStarted" | "ssoFailed") {
    super(key);
  }
}

function toolkit(method: string): string {
  const c = portalConfig();
  const host = c.authEmulatorUrl ? c.authEmulatorUrl + "/identitytoolkit.googleapis.com" : "https://identitytoolkit.googleapis.com";
  return host + "/v1/accounts:" + method + "?key=" + encodeURIComponent(c.apiKey);
}

async function post(method: string, body: unknown): Promise<any> {
  // The page's policy sends no referrer; these calls send the origin only
  // (never a path), which the API key's website restriction checks.
  const res = await fetch(toolkit(method), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
    referrerPolicy: "strict-origin",
  });
  const out = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(String(out?.error?.message || res.status));
  return out;
}

/** A same-origin path to come back to (never the callback itself). */
function safePath(p: string): string {
  return p.startsWith("/") && !p.startsWith("//") && !p.startsWith(callbackPath) ? p : "/";
}

/** startSSO sends this tab to the provider; it returns only on failure. */
export async function startSSO(p: SSOProvider, email: string, returnTo = location.pathname + location.search): Promise<void> {
  if (!p.providerId) throw new SSOError("ssoStartFailed");
  let out: { authUri?: string; sessionId?: string };
  try {
    out = await post("createAuthUri", {
      providerId: p.providerId,
      continueUri: location.origin + callbackPath,
      // The provider may offer the typed address first (OIDC login_hint).
      ...(p.type === "OIDC" && email ? { customParameter: { login_hint: email } } : {}),
    });
  } catch {
    throw new SSOError("ssoStartFailed");
  }
  let target: URL;
  try {
    target = new URL(out.authUri || "");
  } catch {
    throw new SSOError("ssoStartFailed");
  }
  // Only the web: never javascript:, data: or another scheme.
  if (!out.sessionId || !(target.protocol === "https:" || (target.protocol === "http:" && portalConfig().authEmulatorUrl))) {
    throw new SSOError("ssoStartFailed");
  }
  const pending: Pending = { sessionId: out.sessionId, providerId: p.providerId, returnTo: safePath(returnTo), expires: Date.now() + maxAgeMs };
  sessionStorage.setItem(pendingKey, JSON.stringify(pending));
  location.assign(target.href);
}

/** takeCallback, on /__/auth/handler, takes the provider's response out of
 * the page and the address bar at once; null anywhere else. */
export function takeCallback(): Callback | null {
  if (location.pathname !== callbackPath) return null;
  const meta = document.querySelector('meta[name="sc-idp-response"]');
  const cb: Callback = { requestUri: location.href, postBody: meta?.getAttribute("content") || "" };
  meta?.remove();
  try {
    history.replaceState(null, "", safePath(readPending()?.returnTo || "/"));
  } catch {
    history.replaceState(null, "", "/");
  }
  return cb;
}

function readPending(): Pending | null {
  try {
    const p = JSON.parse(sessionStorage.getItem(pendingKey) || "null");
    return p && typeof p.sessionId === "string" && typeof p.providerId === "string" ? p : null;
  } catch {
    return null;
  }
}

/** finishSSO signs in with the provider's response, for a flow this tab
 * started in the last ten minutes, once. */
export async function finishSSO(cb: Callback): Promise<void> {
  const pending = readPending();
  sessionStorage.removeItem(pendingKey);
  const answered = cb.postBody !== "" || new URL(cb.requestUri).search !== "" || new URL(cb.requestUri).hash !== "";
  if (!pending || pending.expires < Date.now() || !answered) throw new SSOError("ssoNotStarted");
  try {
    await signInWithCredential(getAuthInstance(), new IdpResponse(pending.providerId, { ...cb, sessionId: pending.sessionId }));
  } catch {
    throw new SSOError("ssoFailed");
  }
}

// The SDK signs in with any AuthCredential by calling its
// _getIdTokenResponse and then keeps the session as for its own providers;
// its own credential for a redirect's answer (IdpCredential) makes the same
// accounts:signInWithIdp call but is not exported. The constructor is
// hidden from the SDK's typings, hence the cast. The SDK is pinned by
// package-lock.json and this path runs in the browser tests.
const Credential = AuthCredential as unknown as new (providerId: string, signInMethod: string) => AuthCredential;

class IdpResponse extends Credential {
  constructor(
    providerId: string,
    private readonly req: Callback & { sessionId: string },
  ) {
    super(providerId, providerId);
  }
  _getIdTokenResponse(): Promise<object> {
    return this.signIn();
  }
  _getReauthenticationResolver(): Promise<object> {
    return this.signIn();
  }
  _linkToIdToken(): Promise<object> {
    return Promise.reject(new Error("linking is not offered"));
  }
  /** Never the provider's response. */
  toJSON(): object {
    return { providerId: this.providerId };
  }
  private async signIn(): Promise<object> {
    const out = await post("signInWithIdp", {
      requestUri: this.req.requestUri,
      postBody: this.req.postBody,
      sessionId: this.req.sessionId,
      returnSecureToken: true,
    });
    // needConfirmation and the like come without a token: not signed in.
    if (!out.idToken || !out.refreshToken || !out.localId) throw new Error("no session");
    return out;
  }
}
