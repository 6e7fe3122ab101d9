import { type Messages, setupLanguage } from "./i18n.js";
import { commonMessages } from "./messages.js";
import { logTrust } from "./trust.js";

/**
 * What every page does first: language (Chinese unless English was picked),
 * the current section marked in the navigation, and the log key in the
 * footer, so anyone can compare it with the key the centre publishes.
 */
export function startPage(messages: Messages): void {
  setupLanguage({ ...commonMessages, ...messages });
  // The signing page (/sign/…) is no section of the navigation: it marks none.
  const path = location.pathname;
  const section = path.startsWith("/console") ? "/console" : path.startsWith("/sign/") ? undefined : "/";
  for (const a of document.querySelectorAll<HTMLAnchorElement>("nav a")) {
    if (section && a.getAttribute("href") === section) a.setAttribute("aria-current", "page");
  }
  const key = document.getElementById("log-key");
  if (key) {
    logTrust().then(
      (k) => {
        key.textContent = k.verifierKey;
      },
      () => undefined,
    );
  }
}
