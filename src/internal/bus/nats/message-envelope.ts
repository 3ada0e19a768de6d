/**
 * The body of a bus message on NATS: `{"id", "key", "payload"}` as JSON. The id is also sent as
 * `Nats-Msg-Id` (for de-duplication) but is kept in the body so consumers need not parse headers;
 * the key travels in the body because its subject token is an encoding of it.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A decoded message body. */
export interface Envelope {
  readonly id: string;
  readonly key: string;
  readonly payload: unknown;
}

/**
 * The body for a payload already serialised as JSON (as the outbox stores it), so a relay sends
 * it without parsing it again.
 */
export function encodeEnvelope(id: string, key: string, payloadJson: string): Uint8Array {
  return encoder.encode(`{"id":${JSON.stringify(id)},"key":${JSON.stringify(key)},"payload":${payloadJson}}`);
}

/** The JSON text of a payload; `undefined` has none and travels as `null`. */
export function payloadJson(payload: unknown): string {
  return JSON.stringify(payload) ?? 'null';
}

/** The envelope in `data`, or undefined when it is not one. */
export function decodeEnvelope(data: Uint8Array): Envelope | undefined {
  let v: unknown;
  try {
    v = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const { id, key, payload } = v as Record<string, unknown>;
  return typeof id === 'string' && typeof key === 'string' ? { id, key, payload } : undefined;
}
