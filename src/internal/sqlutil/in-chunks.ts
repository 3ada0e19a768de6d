/**
 * Splitting `IN (…)` lists and multi-row inserts so one statement never carries more bind
 * parameters than the engine allows (`caps.maxBindParams`).
 */
import type { StorageCapabilities } from './storage-capabilities.js';

/** Rows per statement when each row binds `paramsPerRow` values (capped at 1,000 rows). */
export function chunkSize(caps: StorageCapabilities, paramsPerRow = 1): number {
  return Math.max(1, Math.min(1000, Math.floor((caps.maxBindParams - 8) / paramsPerRow)));
}

/** `items` in consecutive slices of at most `size`. */
export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
