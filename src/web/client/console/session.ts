/**
 * The mediator's token lives in sessionStorage: it survives a reload but not
 * the tab, and no other tab or site sees it. Recent case IDs (no names) are
 * remembered per browser, since the API has no "list my cases" call.
 */
const TOKEN = "notarium.console.token";
const RECENT = "notarium.console.cases";

export const session = {
  token: (): string | undefined => sessionStorage.getItem(TOKEN) ?? undefined,
  signIn: (token: string) => sessionStorage.setItem(TOKEN, token),
  signOut: () => sessionStorage.removeItem(TOKEN),
};

export interface RecentCase {
  id: string;
  caseNumber: string;
  title: string;
}

export function recentCases(): RecentCase[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT) ?? "[]") as RecentCase[];
    return Array.isArray(list) ? list.filter((c) => typeof c?.id === "string") : [];
  } catch {
    return [];
  }
}

export function rememberCase(c: RecentCase): void {
  const list = [
    { id: c.id, caseNumber: c.caseNumber, title: c.title },
    ...recentCases().filter((r) => r.id !== c.id),
  ];
  try {
    localStorage.setItem(RECENT, JSON.stringify(list.slice(0, 20)));
  } catch {
    // not remembered; the case is still open
  }
}
