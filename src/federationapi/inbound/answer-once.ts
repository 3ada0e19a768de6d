/**
 * Transactions are processed at most once per (origin, transaction ID): the sender retries until
 * it gets a 200, so a retry of a transaction already answered gets the stored answer, and a
 * retry arriving while the first attempt is still processing waits for that attempt's answer.
 * Answers are kept a day (Synapse keeps them as long), pruned at most once an hour.
 */
import type { JsonObject } from '../../matrix/json.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';

/** How long an answer is kept. */
export const RECEIVED_TRANSACTION_TTL_MS = 24 * 60 * 60_000;
/** How often old answers are pruned. */
const PRUNE_INTERVAL_MS = 60 * 60_000;

/** Runs a transaction's processing once and remembers its answer. */
export type AnswerOnce = (origin: string, txnId: string, process: () => Promise<JsonObject>) => Promise<JsonObject>;

/** One per route instance: the in-flight attempts live in memory, the answers in storage. */
export function createAnswerOnce(deps: Pick<SendTransactionDeps, 'receivedTransactions' | 'now' | 'logger'>): AnswerOnce {
  const inFlight = new Map<string, Promise<JsonObject>>();
  let lastPrune = 0;
  const prune = (): void => {
    const now = deps.now();
    if (now - lastPrune < PRUNE_INTERVAL_MS) return;
    lastPrune = now;
    deps.receivedTransactions.pruneReceivedTransactions(now - RECEIVED_TRANSACTION_TTL_MS).catch((e: unknown) => {
      deps.logger?.warn({ err: (e as Error).message }, 'federation /send: pruning old transactions failed');
    });
  };
  return async (origin, txnId, process) => {
    const key = `${origin}\u0000${txnId}`;
    const running = inFlight.get(key);
    if (running) return running;
    const attempt = (async () => {
      const stored = await deps.receivedTransactions.getReceivedTransaction(origin, txnId);
      if (stored) return stored;
      const answer = await process();
      await deps.receivedTransactions.storeReceivedTransaction(origin, txnId, answer, deps.now());
      return answer;
    })();
    inFlight.set(key, attempt);
    try {
      return await attempt;
    } finally {
      inFlight.delete(key);
      prune();
    }
  };
}
