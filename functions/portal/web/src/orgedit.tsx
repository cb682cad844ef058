// Changing an onboarded organisation (support admins, on the organisations
// page): name and verified domains, and a customer's support package and
// products — PATCH /v2/organizations/{org}?updateMask=. A new package or
// product must be on sale; what the customer already has stays offered
// even when it has since been deactivated (so saving does not drop it).

import { useState } from "preact/hooks";
import { api, qs } from "./api";
import { t } from "./i18n";
import { FieldError, ProblemSummary, invalid, problemOf, type FormProblem } from "./formerrors";

interface Item {
  name: string;
  displayName: string;
}

interface EditableOrg {
  name: string;
  displayName: string;
  kind: string;
  domains?: string[];
  supportPackage?: { id?: string; displayName?: string };
  products?: { id: string; displayName: string }[];
}

const idOf = (name: string) => name.slice(name.lastIndexOf("/") + 1);

export function OrgEdit({ org, packages, products, saved }: { org: EditableOrg; packages: Item[]; products: Item[]; saved: (msg: string) => void }) {
  const [problem, setProblem] = useState<FormProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const customer = org.kind === "CUSTOMER";
  const pkgId = org.supportPackage?.id || "";
  const pkgs = [...packages.map((p) => ({ id: idOf(p.name), displayName: p.displayName }))];
  if (pkgId && !pkgs.some((p) => p.id === pkgId)) pkgs.push({ id: pkgId, displayName: org.supportPackage?.displayName || pkgId });
  const prods = [...products.map((p) => ({ id: idOf(p.name), displayName: p.displayName }))];
  for (const p of org.products || []) if (!prods.some((x) => x.id === p.id)) prods.push(p);
  const has = new Set((org.products || []).map((p) => p.id));
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.target as HTMLFormElement);
    const s = (k: string) => String(f.get(k) || "").trim();
    const body: Record<string, unknown> = { displayName: s("displayName"), domains: s("domains").split(/[\s,;]+/).filter(Boolean) };
    if (customer) {
      body.packageId = s("packageId");
      body.productIds = f.getAll("productIds").map(String);
    }
    setBusy(true);
    setProblem(null);
    try {
      await api("PATCH", "/v2/" + org.name + qs({ updateMask: Object.keys(body).join(",") }), body);
      saved(t("oeSaved", { name: s("displayName") }));
    } catch (e) {
      setProblem(problemOf(e, (f) => f.replace(/\[\d+\]$/, "")));
    } finally {
      setBusy(false);
    }
  };
  const id = idOf(org.name);
  return (
    <details class="edit-org">
      <summary>{t("oeEdit", { name: org.displayName })}</summary>
      <form class="stack" onSubmit={submit} aria-label={t("oeEdit", { name: org.displayName })} noValidate>
        <ProblemSummary p={problem} />
        <div class="field">
          <label>
            {t("displayName")}
            <input name="displayName" required defaultValue={org.displayName} {...invalid(problem, "displayName")} />
          </label>
          <FieldError p={problem} field="displayName" />
        </div>
        <div class="field">
          <label>
            {t("obDomains")}
            <input name="domains" required autoComplete="off" defaultValue={(org.domains || []).join(", ")} {...invalid(problem, "domains")} />
          </label>
          <FieldError p={problem} field="domains" />
        </div>
        {customer && (
          <>
            <div class="field">
              <label>
                {t("package")}
                <select name="packageId" {...invalid(problem, "packageId")}>
                  {pkgs.map((p) => (
                    <option value={p.id} selected={p.id === pkgId}>
                      {p.displayName}
                    </option>
                  ))}
                </select>
              </label>
              <FieldError p={problem} field="packageId" />
            </div>
            <fieldset {...invalid(problem, "productIds")}>
              <legend>{t("products")}</legend>
              {prods.map((p) => (
                <label class="inline">
                  <input type="checkbox" name="productIds" value={p.id} defaultChecked={has.has(p.id)} id={"oe-" + id + "-" + p.id} /> {p.displayName}
                </label>
              ))}
              <FieldError p={problem} field="productIds" />
            </fieldset>
          </>
        )}
        <button type="submit" disabled={busy}>
          {t("oeSave", { name: org.displayName })}
        </button>
      </form>
    </details>
  );
}
