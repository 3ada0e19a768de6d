/**
 * Verifying an inbound federation request (spec, server-server "Request Authentication"): the
 * sender signs `{method, uri, origin, destination, content}` with one of its keys and sends the
 * signature in an `Authorization: X-Matrix` header (one header per key it signs with). We accept
 * the request when any header verifies, and answer 401 `M_UNAUTHORIZED` otherwise.
 *
 * The signed object always carries `destination` set to our own name, whether or not the header
 * names it: servers before spec v1.3 signed it too but left it out of the header, and a header
 * that names another server is refused (401, as the spec requires) before any key is fetched.
 * `content` is present exactly when the request had a body.
 *
 * Canonical JSON is encoded leniently here (floats allowed): a `/send` body may carry events of
 * room versions 1–5, whose content may hold floats the sender's encoder wrote as-is; for bodies
 * without floats lenient and strict encodings are identical. Event signatures are checked
 * separately, with their room version's strictness.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonObject, JsonValue } from '../../matrix/json.js';
import { parseServerName } from '../../matrix/ids/server-name.js';
import { verifyJsonSignature } from '../../matrix/verify-json.js';
import type { FederationKeyLookup } from './federation-key-lookup.js';
import { parseXMatrixHeaders, type XMatrixAuth } from './parse-x-matrix.js';

/**
 * More X-Matrix headers than this are refused unread: each may cost a key fetch, and a server
 * signs with one key at a time (two while rotating).
 */
export const MAX_X_MATRIX_HEADERS = 8;

/** What {@link verifyFederationRequest} needs of a request. */
export interface FederationRequestToVerify {
  /** The HTTP method as received (`GET`, `PUT`, …). */
  readonly method: string;
  /** The request target as received: path and query string, raw (not decoded or re-encoded). */
  readonly uri: string;
  /**
   * The request headers with lower-case names; `authorization` as one value or all of them
   * (Node's `headersDistinct`: `IncomingHttpHeaders` keeps only the first Authorization header).
   */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The JSON-parsed body, or `undefined` when the request had none. */
  readonly body: JsonValue | undefined;
  /** Our server name, which `destination` must equal. */
  readonly ourServerName: string;
  /** Where the origin's public keys come from. */
  readonly keys: FederationKeyLookup;
  /** The time keys must be valid at, in ms since the epoch (default: now). */
  readonly now?: number;
}

/** The authenticated sender of a request. */
export interface VerifiedFederationRequest {
  /** The origin server's name, as its header gave it. */
  readonly origin: string;
  /** The key ID whose signature verified. */
  readonly keyId: string;
}

/**
 * Checks the X-Matrix signature(s) of a request.
 *
 * @throws MatrixError 401 `M_UNAUTHORIZED` when there is no X-Matrix header, or none of them
 *   verifies; the message gives each header's reason (origin and key ID named, nothing secret).
 */
export async function verifyFederationRequest(req: FederationRequestToVerify): Promise<VerifiedFederationRequest> {
  const results = parseXMatrixHeaders(authorizationValues(req.headers));
  if (results.length === 0) throw MatrixError.unauthorized('Missing X-Matrix Authorization header');
  if (results.length > MAX_X_MATRIX_HEADERS) {
    throw MatrixError.unauthorized(`Too many X-Matrix Authorization headers (at most ${MAX_X_MATRIX_HEADERS})`);
  }
  const now = req.now ?? Date.now();
  const problems: string[] = [];
  for (const r of results) {
    if (!r.ok) {
      problems.push(`Malformed X-Matrix Authorization header: ${r.reason}`);
      continue;
    }
    const problem = await checkHeader(r.value, req, now);
    if (problem === undefined) return { origin: r.value.origin, keyId: r.value.key };
    problems.push(problem);
  }
  throw MatrixError.unauthorized(problems.join('; '));
}

/** Why one header does not authenticate the request, or `undefined` when it does. */
async function checkHeader(auth: XMatrixAuth, req: FederationRequestToVerify, now: number): Promise<string | undefined> {
  const { origin, key: keyId } = auth;
  const name = parseServerName(origin);
  if (!name.ok) return `Invalid origin server name ${quote(origin)}: ${name.reason}`;
  if (auth.destination !== undefined && auth.destination !== req.ourServerName) {
    return `Request is for destination ${quote(auth.destination)}, not ${req.ourServerName}`;
  }
  if (!keyId.startsWith('ed25519:')) return `Unsupported signing algorithm in key ${quote(keyId)} of ${origin}`;
  let publicKey: string | undefined;
  try {
    publicKey = await req.keys.verifyKey(origin, keyId, { atTs: now });
  } catch {
    // The key ring's failure (DNS, TLS, timeouts) is ours to log, not the caller's to read.
    return `Could not fetch key ${quote(keyId)} of ${origin}`;
  }
  if (publicKey === undefined) return `Unknown or expired key ${quote(keyId)} of ${origin}`;
  const result = verifyJsonSignature(signedObject(auth, req), origin, keyId, publicKey, { strict: false });
  return result.ok ? undefined : `Invalid signature from ${origin} with key ${quote(keyId)}`;
}

/** The object the sender signed, with the header's signature in place. */
function signedObject(auth: XMatrixAuth, req: FederationRequestToVerify): JsonObject {
  const obj: JsonObject = {
    method: req.method,
    uri: req.uri,
    origin: auth.origin,
    destination: req.ourServerName,
    signatures: { [auth.origin]: { [auth.key]: auth.sig } },
  };
  if (req.body !== undefined) obj.content = req.body;
  return obj;
}

function authorizationValues(headers: FederationRequestToVerify['headers']): readonly string[] {
  const v = headers.authorization;
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : v;
}

/** A header-supplied string for a message: quoted, escaped and bounded. */
function quote(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}
