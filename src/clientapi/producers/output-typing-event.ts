/**
 * `OutputTypingEvent`: a user started or stopped typing in a room, for the syncapi (the `m.typing`
 * ephemeral event) and the federationapi (the `m.typing` EDU). Keyed by room ID, so one room's
 * notifications arrive in the order they were sent.
 */
import type { Bus, BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The timeout used when a client starts typing without giving one (Synapse's default). */
export const DEFAULT_TYPING_TIMEOUT_MS = 30_000;
/**
 * The longest typing timeout honoured (Synapse's cap): a client asking for more gets this, so a
 * crashed client cannot leave a user "typing" for hours.
 */
export const MAX_TYPING_TIMEOUT_MS = 120_000;

/**
 * The topic; owned by the clientapi. Ephemeral: a typing notification is worthless once the
 * longest timeout has passed, so it lives in memory no longer than that.
 */
export const OutputTypingEvent: TopicSpec = { name: 'OutputTypingEvent', ephemeral: { maxAgeMs: MAX_TYPING_TIMEOUT_MS } };

/**
 * A user's typing state in a room changed. Consumers replace the user's previous state in the
 * room with this one; a `typing: true` ends by itself at `ts + timeoutMs` unless renewed.
 */
export interface TypingChanged {
  readonly type: 'typing';
  readonly roomId: string;
  readonly userId: string;
  readonly typing: boolean;
  /** How long the user counts as typing from `ts` (already capped); 0 when `typing` is false. */
  readonly timeoutMs: number;
  /**
   * When the clientapi accepted the request (ms since the epoch). Consumers compute the expiry
   * from it rather than from their own receipt time, so a late or redelivered message does not
   * extend the typing.
   */
  readonly ts: number;
}

/** Every message on {@link OutputTypingEvent}. */
export type OutputTypingMessage = TypingChanged;

/** The bus message for one typing change. */
export function typingChangedMessage(change: Omit<TypingChanged, 'type'>): BusMessage<OutputTypingMessage> {
  return { topic: OutputTypingEvent, key: change.roomId, payload: { type: 'typing', ...change } };
}

/** Publishes a typing change (no outbox: the clientapi stores nothing, and losing one is harmless). */
export async function publishTypingChange(bus: Bus, change: Omit<TypingChanged, 'type'>): Promise<void> {
  await bus.publish([typingChangedMessage(change)]);
}
