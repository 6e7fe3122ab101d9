import { ApiError } from "../common/api.js";
import { t } from "../common/i18n.js";

/**
 * An API refusal in the page's language: a code the console has words for gets them, a
 * network failure says so, a validation refusal keeps the service's precise message
 * (which names the field) under "输入有误", anything else the service's message.
 */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.code === "NETWORK") return t("common.network");
    const key = `console.err.code.${e.code}`;
    const text = t(key);
    if (text !== key) return text;
    if (e.status === 400) return t("console.err.input", { message: e.message });
    return t("common.error", { message: e.message });
  }
  return t("common.error", { message: (e as Error).message });
}
