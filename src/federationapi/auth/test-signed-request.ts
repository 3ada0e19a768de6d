/**
 * Test support: builds the `Authorization: X-Matrix` header a well-behaved sender would send,
 * by signing the request object with `signJson` as the spec's Step 1 describes. Knobs let tests
 * sign one thing and send another.
 */
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { signJson } from '../../matrix/sign-json.js';
import type { SigningKey } from '../../matrix/signing-key.js';

/** The request as the sender signs it. */
export interface RequestToSign {
  readonly method: string;
  readonly uri: string;
  readonly origin: string;
  /** Put in the signed object (and the header unless `headerDestination` says otherwise). */
  readonly destination: string;
  /** The JSON body, if the request has one. */
  readonly content?: JsonValue;
  readonly key: SigningKey;
  /** What the header's `destination` says; `null` leaves it out (pre-v1.3 senders). */
  readonly headerDestination?: string | null;
  /** Key ID written in the header (default: the key's own). */
  readonly headerKeyId?: string;
}

/** The header value, formatted as the spec's example code does. */
export function signedXMatrixHeader(r: RequestToSign): string {
  const obj: JsonObject = { method: r.method, uri: r.uri, origin: r.origin, destination: r.destination };
  if (r.content !== undefined) obj.content = r.content;
  const signed = signJson(obj, r.origin, r.key);
  const sig = (signed.signatures[r.origin] as JsonObject)[r.key.keyId] as string;
  const dest = r.headerDestination === undefined ? r.destination : r.headerDestination;
  const destPart = dest === null ? '' : `destination="${dest}",`;
  return `X-Matrix origin="${r.origin}",${destPart}key="${r.headerKeyId ?? r.key.keyId}",sig="${sig}"`;
}
