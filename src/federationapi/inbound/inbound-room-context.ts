/**
 * What processing the PDUs of one room of one inbound transaction carries around: the room, its
 * version, the server that sent the transaction (the one asked for whatever is missing), and
 * the transaction's budget of fetched events.
 */
import type { RoomVersion } from '../../matrix/room-version.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';
import type { FetchBudget } from './fetch-budget.js';

export interface InboundRoomContext {
  readonly deps: SendTransactionDeps;
  /** The transaction's origin (X-Matrix authenticated). */
  readonly origin: string;
  readonly roomId: string;
  readonly rv: RoomVersion;
  /** Shared by every room of the transaction. */
  readonly budget: FetchBudget;
}

/** The answer for one PDU: `{}` when handled (accepted or soft-failed), else why not. */
export type PduResult = Record<string, never> | { readonly error: string };

/**
 * Something we could not fetch or place (the origin failed, answered nonsense, or asked for more
 * work than a transaction may cost). Caught per PDU and reported in that PDU's `error`.
 */
export class InboundPduError extends Error {
  override readonly name = 'InboundPduError';
  /** Names the step, like the roomserver's rules (`prev_events/missing`, `fetch/budget`). */
  readonly rule: string;

  constructor(rule: string, message: string) {
    super(message);
    this.rule = rule;
  }
}

/** `"<rule>: <reason>"`, the text of a PDU's `error`. */
export function pduError(rule: string, reason: string): PduResult {
  return { error: `${rule}: ${reason}` };
}
