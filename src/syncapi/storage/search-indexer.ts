/**
 * Moves SQLite's pending search rows into the FTS5 index in batches (`search-deferred-migration.ts`
 * says why): soon after a searchable event is written, and always before the index is read, so a
 * search finds every event stored before it began. On PostgreSQL everything is a no-op.
 */
import { indexPendingSearchEntries } from './search-table.js';
import type { SyncDb } from './sync-db.js';

/** The batcher of one syncapi storage. */
export interface SearchIndexer {
  /** A searchable row was committed: index it within `delayMs`. */
  written(): void;
  /** Indexes every row committed before this call (a search is about to read the index). */
  flush(): Promise<void>;
}

/** Rows are indexed at most this long after their commit when no search asks sooner. */
export const SEARCH_INDEX_DELAY_MS = 200;

/** The indexer of the syncapi database `root` (outside any transaction). */
export function createSearchIndexer(root: SyncDb, delayMs = SEARCH_INDEX_DELAY_MS): SearchIndexer {
  if (root.caps.fullText !== 'fts5') return { written: () => undefined, flush: () => Promise.resolve() };
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  // Every flush looks in the table (one indexed read when nothing waits) rather than trusting a
  // flag of this process: rows may be pending from before a restart, or from another process
  // writing the same database.
  const flush = async (): Promise<void> => {
    while (running) await running.catch(() => undefined);
    running = indexPendingSearchEntries(root).finally(() => (running = undefined));
    await running;
  };
  return {
    written() {
      if (timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        // A failure leaves the rows pending: the next search retries and reports it.
        flush().catch(() => undefined);
      }, delayMs);
      timer.unref();
    },
    flush,
  };
}
