/**
 * `OutputAccountData`: the userapi's account-data changes, for the syncapi to wake the user's
 * syncs. Keyed by user ID, so one user's changes arrive in stream-position order.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The topic; owned by the userapi. */
export const OutputAccountData: TopicSpec = { name: 'OutputAccountData' };

/**
 * A global or room account-data entry was set or deleted. Consumers read the entry back with
 * `queryAccountData({userId, since})` (or from this message alone when they only need to wake a
 * sync) and must treat a position they have already seen as a duplicate.
 */
export interface AccountDataChanged {
  readonly type: 'account_data';
  readonly userId: string;
  /** null for global account data. */
  readonly roomId: string | null;
  /** The account-data event type, e.g. `m.direct`. */
  readonly dataType: string;
  /** The user's account-data stream position of this change. */
  readonly streamPosition: number;
}

/** Every message on {@link OutputAccountData}. */
export type OutputAccountDataMessage = AccountDataChanged;

/** The bus message for one account-data change. */
export function accountDataChangedMessage(change: Omit<AccountDataChanged, 'type'>): BusMessage<OutputAccountDataMessage> {
  return { topic: OutputAccountData, key: change.userId, payload: { type: 'account_data', ...change } };
}
