/**
 * Request authentication (spec "Request Authentication"): the method, target, both server names
 * and the body are wrapped in a JSON object, signed with the server's key, and the signature is
 * sent as an `Authorization: X-Matrix …` header. The server names are the ones before any
 * delegation, so the header is computed from the destination's server name, never from where
 * resolution led.
 */
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { jsonSignature } from '../../matrix/sign-json.js';
import type { SigningKey } from '../../matrix/signing-key.js';

/** What a federation request signature covers. */
export interface SignedRequestParts {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The request target: path from `/_matrix/…`, with `?` and the query string if any. */
  readonly uri: string;
  /** Our server name. */
  readonly origin: string;
  /** The destination's server name (as written, before delegation). */
  readonly destination: string;
  /** The parsed JSON body, if the request has one. */
  readonly content?: JsonValue;
}

/** The JSON object the spec's step 1 signs (without `signatures`). */
export function requestJsonToSign(parts: SignedRequestParts): JsonObject {
  const obj: JsonObject = {
    method: parts.method,
    uri: parts.uri,
    origin: parts.origin,
    destination: parts.destination,
  };
  if (parts.content !== undefined) obj.content = parts.content;
  return obj;
}

/**
 * The `Authorization` header value for a request, in the most compatible form the spec
 * describes: one space after the scheme, lower-case names, quoted values, no spaces around commas.
 *
 * @example
 * signRequest({ method: 'GET', uri: '/_matrix/federation/v1/version', origin: 'a.test',
 *   destination: 'b.test' }, key)
 * // 'X-Matrix origin="a.test",destination="b.test",key="ed25519:k1",sig="…"'
 */
export function signRequest(parts: SignedRequestParts, key: SigningKey): string {
  const sig = jsonSignature(requestJsonToSign(parts), key);
  return `X-Matrix origin="${parts.origin}",destination="${parts.destination}",key="${key.keyId}",sig="${sig}"`;
}
