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

function classify(e: unknown, timedOut: boolean, limits: HttpLimits): FederationRequestError {
  if (e instanceof FederationRequestError) return e;
  const { destination } = limits;
  if (timedOut) return new FederationRequestError({ destination, kind: 'timeout', message: `no complete response within ${limits.timeoutMs} ms`, cause: e });
  if (e instanceof BlockedAddressError) return new FederationRequestError({ destination, kind: 'blocked', message: e.message, cause: e });
  return new FederationRequestError({ destination, kind: 'network', message: (e as Error).message, cause: e });
}

/** A response whose body is read by the caller, as it arrives. */
export interface StreamedHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body's chunks; iterating past `maxBytes` throws a `too_large` error. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Sends `req` through `dispatcher` and hands the response to `consume`, which reads the body as it
 * streams in: the deadline covers `consume` too, and the byte cap is enforced chunk by chunk, so
 * a large body never has to sit in memory. A body `consume` leaves unread is discarded.
 * @throws FederationRequestError `timeout`, `too_large`, `blocked` or `network` (and whatever
 * `consume` throws); an HTTP error status is *not* thrown here (the consumer interprets it).
 */
export async function streamHttpRequest<T>(
  dispatcher: Dispatcher,
  req: HttpRequest,
  limits: HttpLimits,
  consume: (res: StreamedHttpResponse) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const onTimeout = (): void => {
    timedOut = true;
    controller.abort();
  };
  const timer = setTimeout(onTimeout, limits.timeoutMs);
  if (limits.signal?.aborted) onTimeout();
  limits.signal?.addEventListener('abort', onTimeout, { once: true });
  let body: Dispatcher.ResponseData['body'] | undefined;
  try {
    let res: Dispatcher.ResponseData;
    try {
      res = await dispatcher.request({
        method: req.method,
        path: req.path,
        headers: req.headers,
        body: req.body ?? null,
        signal: controller.signal,
        // The deadline above governs; undici's own 300 s timers would only hide it.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
    } catch (e) {
      throw classify(e, timedOut, limits);
    }
    body = res.body;
    const declared = Number(res.headers['content-length'] ?? NaN);
    if (declared > limits.maxBytes) {
      throw new FederationRequestError({ destination: limits.destination, kind: 'too_large', message: `response of ${declared} bytes exceeds ${limits.maxBytes}` });
    }
    // The consumer's own errors pass unchanged; the body's are classified where they arise.
    return await consume({ status: res.statusCode, headers: res.headers, body: capped(res.body, limits, () => timedOut) });
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onTimeout);
    if (body && !body.readableEnded) {
      body.on('error', () => undefined);
      body.destroy();
    }
  }
}

/** The body's chunks, failing as soon as more than `limits.maxBytes` have arrived. */
async function* capped(body: Dispatcher.ResponseData['body'], limits: HttpLimits, timedOut: () => boolean): AsyncGenerator<Buffer> {
  let size = 0;
  const it = body[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<unknown>;
    try {
      next = await it.next();
    } catch (e) {
      throw classify(e, timedOut(), limits);
    }
    if (next.done === true) return;
    const buf = next.value as Buffer;
    size += buf.length;
    if (size > limits.maxBytes) {
      throw new FederationRequestError({ destination: limits.destination, kind: 'too_large', message: `response body exceeds ${limits.maxBytes} bytes` });
    }
    yield buf;
  }
}

/**
 * Sends `req` through `dispatcher` and reads the whole response within `limits`.
 * @throws FederationRequestError `timeout`, `too_large`, `blocked` or `network`; an HTTP error
 * status is *not* thrown here (the caller interprets it).
 */
export function sendHttpRequest(dispatcher: Dispatcher, req: HttpRequest, limits: HttpLimits): Promise<HttpResponse> {
  return streamHttpRequest(dispatcher, req, limits, async (res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of res.body) chunks.push(chunk);
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
  });
}
