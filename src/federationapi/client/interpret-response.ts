/**
 * Turns a federation HTTP response into JSON or a typed error. A non-2xx answer keeps the
 * remote's status, `errcode` and `error` as data on the error, for the caller to judge.
 */
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import { FederationRequestError } from './federation-request-error.js';
import type { HttpResponse } from './send-http-request.js';

function parseJson(body: Buffer): JsonValue | undefined {
  try {
    return JSON.parse(body.toString('utf8')) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * The parsed body of a 2xx response, as `T` (unchecked: the caller validates remote data).
 * @throws FederationRequestError `http` for other statuses, `bad_response` for a body that is not JSON.
 */
export function interpretResponse<T>(res: HttpResponse, destination: string): T {
  const json = parseJson(res.body);
  if (res.status < 200 || res.status >= 300) {
    const errcode = isJsonObject(json) && typeof json.errcode === 'string' ? json.errcode : undefined;
    const error = isJsonObject(json) && typeof json.error === 'string' ? json.error : undefined;
    throw new FederationRequestError({
      destination,
      kind: 'http',
      status: res.status,
      errcode,
      error,
      message: `HTTP ${res.status}${errcode === undefined ? '' : ` ${errcode}`}${error === undefined ? '' : `: ${error.slice(0, 200)}`}`,
    });
  }
  if (json === undefined) {
    throw new FederationRequestError({ destination, kind: 'bad_response', status: res.status, message: `HTTP ${res.status} with a body that is not JSON` });
  }
  return json as T;
}
