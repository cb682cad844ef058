// What every page shares: the signed-in caller (GET /v2/me), a way to
// reload it, the current language, and small helpers over API names.

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { ApiError } from "./api";
import { t, type Lang } from "./i18n";

export interface Role {
  role: string;
  productIds?: string[];
}

export interface MeOrg {
  name: string;
  displayName: string;
  kind: string;
  capacity: string; // CUSTOMER | RESELLER | SUPPORT
  status: string;
  activateTime?: string;
  roles: Role[];
  resellerAccessGranted?: boolean;
}

export interface Me {
  uid: string;
  email: string;
  emailVerified: boolean;
  displayName?: string;
  access: { usable: boolean; cause?: string; activateTime?: string };
  organizations: MeOrg[];
  profile: { displayName?: string; language: string; notificationPreference: string };
}

export interface Session {
  me: Me;
  reload: () => Promise<void>;
  lang: Lang;
}

export const Ctx = createContext<Session>(null as unknown as Session);

export function useSession(): Session {
  return useContext(Ctx);
}

export function orgId(name: string): string {
  return name.replace(/^organizations\//, "");
}

/** lastSegment: "organizations/acme/cases/123" → "123". */
export function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}

export function rolesIn(me: Me, org: string): string[] {
  const o = me.organizations.find((x) => orgId(x.name) === org);
  return (o?.roles || []).map((r) => r.role);
}

export function isSupport(me: Me): boolean {
  return me.organizations.some((o) => o.capacity === "SUPPORT");
}

export function isSupportAdmin(me: Me): boolean {
  return me.organizations.some((o) => o.capacity === "SUPPORT" && (o.roles || []).some((r) => r.role === "SUPPORT_ADMIN"));
}

export function errText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.httpStatus === 403 && e.reason !== "ACCESS_REQUIRED") return t("denied") + " " + e.message;
    return t("error", { msg: e.message });
  }
  return t("error", { msg: String((e as Error)?.message || e) });
}
