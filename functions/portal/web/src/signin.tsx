// Sign-in with e-mail and password, and password reset, through the
// Firebase Auth SDK (the Auth emulator locally). After sign-in the URL is
// unchanged, so a deep link opens its page. When the address is typed, the
// public GET /v2/signInOptions says whether its organisation uses single
// sign-on; if so, "Sign in with <provider>" goes through the
// organisation's identity provider (sso.ts), and where SSO is required the
// password field is not offered at all (the API refuses a password sign-in
// there anyway).

import { useState } from "preact/hooks";
import { signInWithEmailAndPassword, sendPasswordResetEmail } from "firebase/auth";
import { getAuthInstance, qs } from "./api";
import { t } from "./i18n";
import { startSSO, SSOError } from "./sso";
import { Msg } from "./msg";

interface Provider {
  type: string; // PASSWORD | OIDC | SAML
  providerId?: string;
  displayName?: string;
}

/** signInOptions asks which providers an address signs in with; null when
 * the question cannot be answered (then the password form stays). */
async function signInOptions(email: string): Promise<Provider[] | null> {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return null;
  try {
    const res = await fetch("/v2/signInOptions" + qs({ email }));
    if (!res.ok) return null;
    return (await res.json()).providers || null;
  } catch {
    return null;
  }
}

/** SignIn is the sign-in page; ssoError is the key of a message from a
 * single sign-on that just failed (main.tsx). */
export function SignIn({ ssoError = "" }: { ssoError?: string }) {
  const [email, setEmail] = useState("");
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [password, setPassword] = useState("");
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const [reset, setReset] = useState(false);
  const [ssoMsg, setSSOMsg] = useState(ssoError);

  const goSSO = async (p: Provider) => {
    setBusy(true);
    setSSOMsg("ssoGoing");
    try {
      await startSSO(p, email);
    } catch (e) {
      setSSOMsg(e instanceof SSOError ? e.key : "ssoStartFailed");
      setBusy(false);
    }
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg("");
    try {
      const opts = reset ? null : providers || (await signInOptions(email));
      if (opts && !opts.some((p) => p.type === "PASSWORD")) {
        // Single sign-on required: Enter goes on to the provider.
        setProviders(opts);
        const idp = opts.find((p) => p.type !== "PASSWORD");
        if (idp) await goSSO(idp);
        return;
      }
      if (!reset && !password) {
        // The address alone was sent (Enter before the password): its
        // options are shown now, and the password is asked for next.
        if (opts) setProviders(opts);
        else setMsg(t("signInFailed"));
        setTimeout(() => document.querySelector<HTMLInputElement>('input[name="password"]')?.focus());
        return;
      }
      if (reset) {
        await sendPasswordResetEmail(getAuthInstance(), email).catch(() => {});
        setMsg(t("resetSent", { email }));
      } else {
        await signInWithEmailAndPassword(getAuthInstance(), email, password);
      }
    } catch {
      setMsg(t("signInFailed"));
    } finally {
      setBusy(false);
    }
  };

  const sso = providers?.find((p) => p.type !== "PASSWORD");
  const passwordAllowed = !providers || providers.some((p) => p.type === "PASSWORD");
  return (
    <section class="card narrow">
      <h1>{reset ? t("forgot") : t("signIn")}</h1>
      {ssoMsg && (
        <p class={ssoMsg === "ssoGoing" ? "notice" : "msg error"} role={ssoMsg === "ssoGoing" ? "status" : "alert"}>
          {t(ssoMsg as "ssoGoing")}
        </p>
      )}
      <form onSubmit={submit}>
        <label>
          {t("email")}
          <input
            type="email"
            name="email"
            autocomplete="username"
            required
            value={email}
            onInput={(e) => (setEmail((e.target as HTMLInputElement).value), setProviders(null))}
            onBlur={() => signInOptions(email).then(setProviders)}
          />
        </label>
        {sso && !reset && (
          <>
            <p class="notice" role="status">
              {t(passwordAllowed ? "ssoAvailable" : "ssoRequired", { name: sso.displayName || sso.type })}
            </p>
            <p>
              <button type="button" class="sso" disabled={busy} onClick={() => goSSO(sso)}>
                {t("ssoContinue", { name: sso.displayName || sso.type })}
              </button>
            </p>
            {passwordAllowed && <p>{t("ssoOr")}</p>}
          </>
        )}
        {!reset && passwordAllowed && (
          <label>
            {t("password")}
            <input type="password" name="password" autocomplete="current-password" required={providers !== null} value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
        )}
        {(reset || passwordAllowed) && (
          <button type="submit" disabled={busy}>
            {reset ? t("sendReset") : t("signIn")}
          </button>
        )}
      </form>
      <p>
        <button type="button" class="link" onClick={() => (setReset(!reset), setMsg(""))}>
          {reset ? t("signIn") : t("forgot")}
        </button>
      </p>
      <Msg text={msg} />
    </section>
  );
}
