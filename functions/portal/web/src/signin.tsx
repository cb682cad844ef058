// Sign-in with e-mail and password, and password reset, through the
// Firebase Auth SDK (the Auth emulator locally). After sign-in the URL is
// unchanged, so a deep link opens its page. When the address is typed, the
// public GET /v2/signInOptions says whether its organisation uses single
// sign-on; where SSO is required, the password field is not offered and
// the page says which identity provider signs the person in.

import { useState } from "preact/hooks";
import { signInWithEmailAndPassword, sendPasswordResetEmail } from "firebase/auth";
import { getAuthInstance, qs } from "./api";
import { t } from "./i18n";

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

export function SignIn() {
  const [email, setEmail] = useState("");
  const [providers, setProviders] = useState<Provider[] | null>(null);
  const [password, setPassword] = useState("");
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const [reset, setReset] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg("");
    try {
      const opts = reset ? null : providers || (await signInOptions(email));
      if (opts && !opts.some((p) => p.type === "PASSWORD")) {
        setProviders(opts);
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
        {sso && (
          <p class="notice" role="status">
            {t(passwordAllowed ? "ssoAvailable" : "ssoRequired", { name: sso.displayName || sso.type })}
          </p>
        )}
        {!reset && passwordAllowed && (
          <label>
            {t("password")}
            <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
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
      <p role="status" class="msg">
        {msg}
      </p>
    </section>
  );
}
