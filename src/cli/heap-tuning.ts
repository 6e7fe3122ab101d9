import { scrypt } from "node:crypto";

/**
 * Keeps glibc's malloc from handing freed heap back to the kernel after every
 * garbage collection, for a long-running service.
 *
 * Node's HTTP parser copies every body chunk (64 KiB) into a fresh malloc'd
 * buffer, freed in bulk when the GC collects it; by default glibc then trims
 * the heap (brk) once 128 KiB are free at its top, and the next chunks fault
 * those pages in again. On a 2-core VM that page-fault churn halved the
 * throughput of a 1 GiB upload (strace: about 4,700 brk calls per
 * upload; after this, about 300). glibc raises its trim threshold to twice the
 * size of any mmap'd block it frees (up to 32 MiB, so to 64 MiB); the one API
 * that allocates and frees such a block for us is scrypt's work area (128·r·N
 * bytes, here 30 MiB), run once on the thread pool at start-up. Elsewhere than
 * glibc it is 0.2 s of harmless work; the environment variable
 * MALLOC_TRIM_THRESHOLD_ does the same where one controls how Node starts.
 */
export function keepFreedHeapMapped(): Promise<void> {
  if (process.platform !== "linux" || process.env.MALLOC_TRIM_THRESHOLD_) return Promise.resolve();
  return new Promise((resolve) =>
    scrypt("", "", 16, { N: 1 << 14, r: 15, p: 1, maxmem: 64 << 20 }, () => resolve()),
  );
}
