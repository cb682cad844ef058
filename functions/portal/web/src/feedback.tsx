// "Send feedback", bottom right on every page once signed in (also on the
// access-required page: feedback is how people report that the portal
// itself is in their way). A native <dialog>: focus moves into it, Escape
// closes it, and focus returns to the button.

import { useRef, useState } from "preact/hooks";
import { api } from "./api";
import { t, tk } from "./i18n";
import { errText } from "./session";
import { Msg } from "./msg";

const kinds = ["IDEA", "PROBLEM", "PRAISE"];

export function Feedback() {
  const dlg = useRef<HTMLDialogElement>(null);
  const [kind, setKind] = useState("IDEA");
  const [message, setMessage] = useState("");
  const [msg, setMsg] = useState("");
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const open = () => {
    setSent(false);
    setMsg("");
    dlg.current?.showModal();
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      // The page's address without its query: which screen, not what was typed.
      await api("POST", "/v2/feedback", { kind, message, pageUrl: location.origin + location.pathname });
      setSent(true);
      setMessage("");
      setMsg(t("fbThanks"));
    } catch (e) {
      setMsg(errText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" class="feedback-button" onClick={open}>
        {t("fbSend")}
      </button>
      <dialog ref={dlg} class="feedback" aria-labelledby="fb-title">
        <form onSubmit={submit}>
          <h2 id="fb-title">{t("fbSend")}</h2>
          {!sent && (
            <>
              <fieldset>
                <legend>{t("fbKind")}</legend>
                {kinds.map((k) => (
                  <label class="inline">
                    <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {tk("fbKind_", k)}
                  </label>
                ))}
              </fieldset>
              <label>
                {t("fbMessage")}
                <textarea name="feedback" required rows={5} maxLength={5000} value={message} onInput={(e) => setMessage((e.target as HTMLTextAreaElement).value)} />
              </label>
              <p class="meta">{t("fbPrivacy")}</p>
            </>
          )}
          {msg && (
            <Msg text={msg} />
          )}
          <div class="actions">
            {!sent && (
              <button type="submit" disabled={busy}>
                {t("send")}
              </button>
            )}
            <button type="button" class="secondary" onClick={() => dlg.current?.close()}>
              {t("close")}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
