import { lang, locale } from "./i18n.js";

/** A time for people, in China Standard Time for Chinese readers (the seal uses it too) and local time otherwise. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    timeZoneName: "short",
    ...(lang() === "zh" ? { timeZone: "Asia/Shanghai" } : {}),
    hour12: false,
  }).format(d);
}

export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}

/** First and last characters of a long hex value, for tight layouts (the full value sits in a title). */
export function shortHex(h: string, n = 10): string {
  return h.length <= 2 * n + 1 ? h : `${h.slice(0, n)}…${h.slice(-n)}`;
}
