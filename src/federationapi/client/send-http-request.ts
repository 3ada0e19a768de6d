/**
 * One HTTP exchange over an undici dispatcher with the two limits every outbound request needs:
 * a deadline covering connect, headers and body, and a cap on the body size (a hostile server
 * must not be able to stream gigabytes into our memory). Failures come out as
 * {@link FederationRequestError}s with the right `kind`, whatever layer they came from.
 */
import type { Dispatcher } from 'undici';
import { BlockedAddressError } from './guarded-connector.js';
import { FederationRequestError } from './federation-request-error.js';

/** A request to send. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path and query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
}

/** A response read to its end. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** The limits of one exchange. */
export interface HttpLimits {
  /** The server name the request is for (named in errors). */
  readonly destination: string;
  /** Time for the whole exchange, in milliseconds. */
  readonly timeoutMs: number;
  /** Largest body accepted, in bytes. */
  readonly maxBytes: number;
  /** An outer deadline (the caller's); its abort counts as a timeout. */
  readonly signal?: AbortSignal | undefined;
}

async function readBody(body: Dispatcher.ResponseData['body'], limits: HttpLimits): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limits.maxBytes) {
      body.destroy();
      throw new FederationRequestError({
        destination: limits.destination,
        kind: 'too_large',
        message: `response body exceeds ${limits.maxBytes} bytes`,
      });
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

function classify(e: unknown, timedOut: boolean, limits: HttpLimits): FederationRequestError {
  if (e instanceof FederationRequestError) return e;
  const { destination } = limits;
  if (timedOut) return new FederationRequestError({ destination, kind: 'timeout', message: `no complete response within ${limits.timeoutMs} ms`, cause: e });
  if (e instanceof BlockedAddressError) return new FederationRequestError({ destination, kind: 'blocked', message: e.message, cause: e });
  return new FederationRequestError({ destination, kind: 'network', message: (e as Error).message, cause: e });
}

/**
 * Sends `req` through `dispatcher` and reads the whole response within `limits`.
 * @throws FederationRequestError `timeout`, `too_large`, `blocked` or `network`; an HTTP error
 * status is *not* thrown here (the caller interprets it).
 */
export async function sendHttpRequest(dispatcher: Dispatcher, req: HttpRequest, limits: HttpLimits): Promise<HttpResponse> {
  const controller = new AbortController();
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    controller.abort();
  };
  const timer = setTimeout(onTimeout, limits.timeoutMs);
  if (limits.signal?.aborted) onTimeout();
  limits.signal?.addEventListener('abort', onTimeout, { once: true });
  try {
    const res = await dispatcher.request({
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body ?? null,
      signal: controller.signal,
      // The deadline above governs; undici's own 300 s timers would only hide it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (declared > limits.maxBytes) {
      res.body.destroy();
      throw new FederationRequestError({ destination: limits.destination, kind: 'too_large', message: `response of ${declared} bytes exceeds ${limits.maxBytes}` });
    }
    return { status: res.statusCode, headers: res.headers, body: await readBody(res.body, limits) };
  } catch (e) {
    throw classify(e, timedOut, limits);
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onTimeout);
  }
}
