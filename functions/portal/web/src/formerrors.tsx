// Validation errors the API returns (google.rpc.BadRequest field
// violations) shown next to the form fields they name, and all of them in
// one summary at the top of the form (so a violation of a field the form
// does not show is not lost).

import { ApiError } from "./api";
import { t } from "./i18n";
import { errText } from "./session";

export type FieldErrors = Record<string, string[]>;

export interface FormProblem {
  text: string;
  fields: FieldErrors;
}

/** problemOf turns a failed request into the form's summary and its
 * per-field messages; rename maps the API's field paths onto the form's
 * (e.g. an index in a list the form built onto the row it came from);
 * conflictField is the field an ALREADY_EXISTS refusal is about. */
export function problemOf(e: unknown, rename: (field: string) => string = (f) => f, conflictField = ""): FormProblem {
  const fields: FieldErrors = {};
  if (e instanceof ApiError) {
    // "already exists" names no field; on a create form it is the new ID's.
    if (conflictField && e.status === "ALREADY_EXISTS" && e.fields.length === 0) return { text: t("catInvalid"), fields: { [conflictField]: [e.message] } };
    for (const v of e.fields) {
      const f = rename(v.field);
      (fields[f] ||= []).push(v.description);
    }
    if (e.fields.length > 0) return { text: t("catInvalid"), fields };
  }
  return { text: errText(e), fields };
}

const domId = (field: string) => "err-" + field.replace(/[^A-Za-z0-9_-]/g, "-");

/** invalid marks an input whose field the API refused and points it at
 * the message. */
export function invalid(p: FormProblem | null, field: string): Record<string, string> {
  return p?.fields[field] ? { "aria-invalid": "true", "aria-describedby": domId(field) } : {};
}

/** FieldError is the API's message for one field, next to it. */
export function FieldError({ p, field }: { p: FormProblem | null; field: string }) {
  const list = p?.fields[field];
  if (!list) return null;
  return (
    <span class="field-error" id={domId(field)}>
      {list.join("; ")}
    </span>
  );
}

/** ProblemSummary is the form's alert: what went wrong and every refused field. */
export function ProblemSummary({ p }: { p: FormProblem | null }) {
  if (!p) return null;
  const entries = Object.entries(p.fields);
  return (
    <div role="alert" class="msg error problems">
      <p>{p.text}</p>
      {entries.length > 0 && (
        <ul>
          {entries.map(([f, list]) => (
            <li>{t("catFieldProblem", { field: f, problem: list.join("; ") })}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
