/**
 * `OutputReceiptEvent`: a local user's read receipt, for the syncapi (the `m.receipt` ephemeral
 * event, and notification counts) and the federationapi (the `m.receipt` EDU, `m.read` only).
 * Keyed by room ID, so one room's receipts arrive in the order they were sent. Durable: a lost
 * receipt would leave notification counts wrong until the user reads again.
 *
 * `m.fully_read` is not a receipt: the read marker is room account data, written through the
 * userapi and announced on its `OutputAccountData`.
 */
import type { Bus, BusMessage, TopicSpec } from '../../internal/bus/bus.js';

/** The topic; owned by the clientapi. */
export const OutputReceiptEvent: TopicSpec = { name: 'OutputReceiptEvent' };

/** The receipt types the spec defines. */
export const RECEIPT_TYPES = ['m.read', 'm.read.private'] as const;
/** A receipt type. */
export type ReceiptType = (typeof RECEIPT_TYPES)[number];

/**
 * A user has read up to `eventId` (in `threadId`, or unthreaded when null). Consumers keep one
 * receipt per (room, user, receipt type, thread) and replace it with this one. `m.read.private`
 * receipts MUST NOT reach any other user or server.
 */
export interface ReceiptSent {
  readonly type: 'receipt';
  readonly roomId: string;
  readonly userId: string;
  readonly eventId: string;
  readonly receiptType: ReceiptType;
  /** A thread root's event ID, `main` for the main timeline, or null for an unthreaded receipt. */
  readonly threadId: string | null;
  /** When the server received the receipt (ms since the epoch): the receipt's `ts`. */
  readonly ts: number;
}

/** Every message on {@link OutputReceiptEvent}. */
export type OutputReceiptMessage = ReceiptSent;

/** The bus message for one receipt. */
export function receiptSentMessage(receipt: Omit<ReceiptSent, 'type'>): BusMessage<OutputReceiptMessage> {
  return { topic: OutputReceiptEvent, key: receipt.roomId, payload: { type: 'receipt', ...receipt } };
}

/** Publishes receipts (resolves once the bus stored them durably). */
export async function publishReceipts(bus: Bus, receipts: readonly Omit<ReceiptSent, 'type'>[]): Promise<void> {
  if (receipts.length > 0) await bus.publish(receipts.map(receiptSentMessage));
}
