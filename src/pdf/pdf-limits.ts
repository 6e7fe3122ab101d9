/**
 * Hard budgets for untrusted PDF input, so a hostile or broken file is
 * refused within seconds instead of hanging or exhausting memory.
 */
import { ValidationError } from "../core/errors.js";

export interface PdfLimits {
  /** Largest accepted file. */
  maxBytes: number;
  /** Most pages in the page tree. */
  maxPages: number;
  /** Most indirect objects pdf-lib may materialise. */
  maxObjects: number;
  /** Wall-clock budget for parsing and validating one file. */
  timeBudgetMs: number;
}

export const DEFAULT_PDF_LIMITS: Readonly<PdfLimits> = Object.freeze({
  maxBytes: 200 * 1024 * 1024,
  maxPages: 5000,
  maxObjects: 1_000_000,
  timeBudgetMs: 5000,
});

export function resolveLimits(limits?: Partial<PdfLimits>): PdfLimits {
  return { ...DEFAULT_PDF_LIMITS, ...limits };
}

/** A deadline checked from inside long loops (performance.now is monotonic, and exists in browsers too). */
export class Budget {
  private readonly deadline: number;
  exceeded = false;
  constructor(readonly ms: number) {
    this.deadline = performance.now() + ms;
  }
  check(): void {
    if (performance.now() > this.deadline) {
      this.exceeded = true;
      throw this.error();
    }
  }
  error(): ValidationError {
    return new ValidationError(
      "PDF_TOO_COMPLEX",
      `parsing the PDF took longer than ${this.ms} ms; it is too complex or damaged`,
    );
  }
}
