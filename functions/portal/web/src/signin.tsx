// Sign-in with e-mail and password, and password reset, through the
// Firebase Auth SDK (the Auth emulator locally). After sign-in the URL is
// unchanged, so a deep link opens its page.

import { useState } from "preact/hooks";
import { signInWithEmailAndPassword, sendPasswordResetEmail } from "firebase/auth";
import { getAuthInstance } from "./api";
import { t } from "./i18n";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [msg, setMsg] = useState("");
  const [busy, setBusy] = useState(false);
  const [reset, setReset] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg("");
    try {
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

  return (
    <section class="card narrow">
      <h1>{reset ? t("forgot") : t("signIn")}</h1>
      <form onSubmit={submit}>
        <label>
          {t("email")}
          <input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        {!reset && (
          <label>
            {t("password")}
            <input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
          </label>
        )}
        <button type="submit" disabled={busy}>
          {reset ? t("sendReset") : t("signIn")}
        </button>
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
