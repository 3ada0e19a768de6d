/**
 * An ephemeral topic (typing, presence) kept in memory: messages live at most `maxAgeMs` (and
 * at most `maxMessages`), consumers' positions live as long as the process. Losing it all in a
 * crash is acceptable for these topics; it saves a database write per typing notification.
 */
import { randomUUID } from 'node:crypto';
import { LOG_START, type ConsumerStore, type Position, type StoredMessage } from './consumer-store.js';

/** One in-memory topic. */
export interface MemoryTopic {
  /** Appends messages; they are readable at once. */
  append(messages: readonly { readonly key: string; readonly payload: unknown }[]): void;
  /** The store of consumer `consumer` of this topic. */
  consumerStore(consumer: string): ConsumerStore;
}

interface MemoryEntry extends StoredMessage {
  readonly at: number;
}

/** A new, empty in-memory topic. */
export function createMemoryTopic(maxAgeMs: number, maxMessages = 100_000): MemoryTopic {
  // Messages in seq order from index `head` on; a consumer's read is a binary search by seq.
  let log: MemoryEntry[] = [];
  let head = 0;
  let nextSeq = 1;
  const consumers = new Map<string, { position: Position; pending: Set<number> }>();

  const expire = (now: number) => {
    while (head < log.length) {
      const first = log[head] as MemoryEntry;
      if (log.length - head <= maxMessages && now - first.at <= maxAgeMs) break;
      head++;
    }
    if (head >= 1024 && head * 2 >= log.length) {
      log = log.slice(head);
      head = 0;
    }
  };

  const firstAfter = (seq: number) => {
    let lo = head;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((log[mid] as MemoryEntry).seq <= seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  return {
    append(messages) {
      const now = Date.now();
      for (const m of messages) {
        log.push({ seq: nextSeq++, xid: 0, key: m.key, id: randomUUID(), payload: m.payload, at: now });
      }
      expire(now);
    },

    consumerStore(consumer) {
      return {
        async open() {
          let state = consumers.get(consumer);
          if (!state) consumers.set(consumer, (state = { position: LOG_START, pending: new Set() }));
          const pending = log.slice(head).filter((e) => state.pending.has(e.seq));
          state.pending = new Set(pending.map((e) => e.seq)); // forget expired ones
          return { position: state.position, pending };
        },
        async fetch(after, limit) {
          expire(Date.now());
          const from = firstAfter(after.seq);
          return { messages: log.slice(from, from + limit), limited: false };
        },
        async save(position, addPending, removePending) {
          const state = consumers.get(consumer);
          if (!state) return;
          state.position = position;
          for (const s of addPending) state.pending.add(s);
          for (const s of removePending) state.pending.delete(s);
        },
      };
    },
  };
}
