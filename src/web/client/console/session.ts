import { toHex, utf8 } from "../../../core/bytes.js";
import { sha256 } from "../../../crypto/sha256.js";

/**
 * The mediator's token lives in sessionStorage: it survives a reload but not
 * the tab, and no other tab or site sees it. Recent cases (ID, case number,
 * title) are remembered in this browser, since the API has no "list my cases"
 * call: under the token they were opened with, so the next person to sign in
 * on a shared computer sees none of them, and signing out forgets them.
 */
const TOKEN = "notarium.console.token";
const RECENT = "notarium.console.cases";

/** The recent list's key for the signed-in token (a digest: the token itself is never stored there). */
function recentKey(): string | undefined {
  const token = sessionStorage.getItem(TOKEN);
  return token ? `${RECENT}.${toHex(sha256(utf8(token))).slice(0, 16)}` : undefined;
}

export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN) ?? undefined,
  signIn: (token: string) => sessionStorage.setItem(TOKEN, token),
  signOut: () => {
    const key = recentKey();
    if (key) localStorage.removeItem(key);
    localStorage.removeItem(RECENT); // the one list of earlier versions, shared by every token
    sessionStorage.removeItem(TOKEN);
  },
};

export interface RecentCase {
  id: string;
  caseNumber: string;
  title: string;
}

export function recentCases(): RecentCase[] {
  const key = recentKey();
  if (!key) return [];
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? "[]") as RecentCase[];
    return Array.isArray(list) ? list.filter((c) => typeof c?.id === "string") : [];
  } catch {
    return [];
  }
}

export function rememberCase(c: RecentCase): void {
  const key = recentKey();
  if (!key) return;
  const list = [
    { id: c.id, caseNumber: c.caseNumber, title: c.title },
    ...recentCases().filter((r) => r.id !== c.id),
  ];
  try {
    localStorage.setItem(key, JSON.stringify(list.slice(0, 20)));
  } catch {
    // not remembered; the case is still open
  }
}
