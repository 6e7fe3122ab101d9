/**
 * Chinese first, English on request. The choice is kept in localStorage so
 * every page opens in the language the person picked last. Static text in
 * the HTML carries `data-i18n` keys (filled in Chinese at build time);
 * dynamic views re-render on the `notarium:lang` event.
 */
export type Lang = "zh" | "en";
export type Messages = Record<string, readonly [zh: string, en: string]>;

const STORAGE_KEY = "notarium.lang";
const dictionary: Record<string, readonly [string, string]> = {};
let current: Lang = "zh";

export function addMessages(m: Messages): void {
  Object.assign(dictionary, m);
}

export function lang(): Lang {
  return current;
}

/** The message for `key` in the current language; `{name}` placeholders are filled from `vars`. */
export function t(key: string, vars: Record<string, string | number> = {}): string {
  const pair = dictionary[key];
  const text = pair ? pair[current === "zh" ? 0 : 1] : key;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** BCP 47 tag for the current language (html lang, Intl formatting). */
export function locale(): string {
  return current === "zh" ? "zh-CN" : "en";
}

function readStored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "zh";
  } catch {
    return "zh"; // storage blocked (private mode, policy): stay with the default
  }
}

/** Fills every `data-i18n` element and `data-i18n-attr="attr:key;…"` attribute under `root`. */
export function translate(root: ParentNode = document): void {
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n as string);
  }
  for (const el of root.querySelectorAll<HTMLElement>("[data-i18n-attr]")) {
    for (const pair of (el.dataset.i18nAttr as string).split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; the switch still applies to this page
  }
  document.documentElement.lang = locale();
  translate();
  const title = document.querySelector<HTMLElement>("[data-i18n-title]")?.dataset.i18nTitle;
  if (title) document.title = t(title);
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-lang-switch]")) {
    // The switch names the other language, in that language.
    b.textContent = next === "zh" ? "English" : "中文";
    b.lang = next === "zh" ? "en" : "zh-CN";
    b.setAttribute("aria-label", next === "zh" ? "Switch to English" : "切换到中文");
  }
  document.dispatchEvent(new CustomEvent("notarium:lang", { detail: next }));
}

/** Applies the stored language and wires the switch buttons; call once per page. */
export function setupLanguage(messages: Messages): void {
  addMessages(messages);
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-lang-switch]")) {
    b.addEventListener("click", () => setLang(current === "zh" ? "en" : "zh"));
  }
  setLang(readStored());
}

/** Runs `render` now and again whenever the language changes. */
export function onLanguage(render: () => void): void {
  render();
  document.addEventListener("notarium:lang", render);
}
