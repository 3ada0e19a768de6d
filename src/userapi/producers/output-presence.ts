/**
 * `OutputPresenceEvent`: a local user's presence changed, for the syncapi (the `m.presence`
 * event of users sharing a room) and the federationapi (the `m.presence` EDU). Keyed by user ID,
 * so one user's changes arrive in stream-position order.
 *
 * Durable, not ephemeral: the change is written to `userapi_presence` and announced through the
 * userapi's outbox in the same transaction (an outbox refuses ephemeral topics), so a consumer
 * never misses the latest state even across a crash.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';
import type { PresenceState } from '../api.js';

/** The topic; owned by the userapi. */
export const OutputPresenceEvent: TopicSpec = { name: 'OutputPresenceEvent' };

/**
 * A user's presence was set. Consumers replace what they know of the user with this, and treat a
 * `streamPosition` they have already seen as a duplicate.
 */
export interface PresenceChanged {
  readonly type: 'presence';
  readonly userId: string;
  readonly presence: PresenceState;
  /** null when the user has no status message. */
  readonly statusMsg: string | null;
  /** The user's last activity (ms since the epoch), null when never active. */
  readonly lastActiveTs: number | null;
  /** The change came from activity just now (presence set to `online`). */
  readonly currentlyActive: boolean;
  /** The position of this change in the server-wide presence stream (for sync tokens). */
  readonly streamPosition: number;
}

/** Every message on {@link OutputPresenceEvent}. */
export type OutputPresenceMessage = PresenceChanged;

/** The bus message for one presence change. */
export function presenceChangedMessage(change: Omit<PresenceChanged, 'type'>): BusMessage<OutputPresenceMessage> {
  return { topic: OutputPresenceEvent, key: change.userId, payload: { type: 'presence', ...change } };
}
