// Pages of the support team beyond the case queue: the queue of access
// requests people file from the access-required page.

import { useEffect, useState } from "preact/hooks";
import { api, qs } from "./api";
import { t, tk } from "./i18n";
import { errText } from "./session";
import { Pager, TimeText } from "./cases";

export interface AccessRequest {
  name: string;
  email: string;
  uid: string;
  orgId?: string;
  cause?: string;
  message: string;
  state: string;
  createTime: string;
}

/** The access requests, newest first, a page at a time. */
export function AccessRequests() {
  const [tokens, setTokens] = useState<string[]>([""]);
  const [data, setData] = useState<{ accessRequests: AccessRequest[]; nextPageToken?: string } | null>(null);
  const [err, setErr] = useState("");
  const token = tokens[tokens.length - 1];
  useEffect(() => {
    let live = true;
    setData(null);
    setErr("");
    api("GET", "/v2/accessRequests" + qs({ pageSize: 20, pageToken: token })).then(
      (d) => live && setData(d),
      (e) => live && setErr(errText(e)),
    );
    return () => void (live = false);
  }, [token]);
  return (
    <section>
      <h1>{t("accessRequests")}</h1>
      {err && (
        <p role="alert" class="msg error">
          {err}
        </p>
      )}
      {!data && !err && <p class="loading">{t("loading")}</p>}
      {data && data.accessRequests.length === 0 && <p>{t("noAccessRequests")}</p>}
      {data && data.accessRequests.length > 0 && (
        <ul class="requests" aria-label={t("accessRequests")}>
          {data.accessRequests.map((r) => (
            <li class="card">
              <div class="title-row">
                <h2 class="addr">{r.email}</h2>
                <span class={"badge req-" + r.state.toLowerCase()}>{tk("reqState_", r.state)}</span>
              </div>
              <dl class="facts">
                <div>
                  <dt>{t("created")}</dt>
                  <dd>
                    <TimeText k="timeOnly" iso={r.createTime} />
                  </dd>
                </div>
                <div>
                  <dt>{t("reqCause")}</dt>
                  <dd>{tk("reqCause_", r.cause || "")}</dd>
                </div>
                {r.orgId && (
                  <div>
                    <dt>{t("requestedOrg")}</dt>
                    <dd>{r.orgId}</dd>
                  </div>
                )}
              </dl>
              <h3>{t("message")}</h3>
              <p class="pre">{r.message}</p>
            </li>
          ))}
        </ul>
      )}
      <Pager tokens={tokens} setTokens={setTokens} next={data?.nextPageToken} />
    </section>
  );
}
