/**
 * The generated server side of a component's internal API: one route descriptor per entry of the
 * method table, for the internal listener. Each checks the shared secret, calls the
 * implementation with the parsed body and answers its result, or its error encoded by
 * `rpc-error-codec.ts` with the error's own status.
 *
 * Transport failures (missing or wrong secret, unknown method → 404, unparsable body → 400
 * M_NOT_JSON) are rendered by the listener's ordinary error handler as `{errcode, error}` with no
 * `kind`, which tells the client they did not come from the method.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { MatrixError } from '../errors/matrix-error.js';
import { RAW_REPLY_SENT, defineRoute, type AnyRoute, type RouteContext, type RouteSchemas } from '../httputil/route.js';
import { assertJsonSafe, jsonSafetyChecksByDefault } from './assert-json-safe.js';
import { encodeRpcError } from './rpc-error-codec.js';
import { SHARED_SECRET_HEADER, bindRpcMethod, rpcMethodNames, rpcPath, type RpcApi, type RpcMethods } from './rpc-protocol.js';

export interface RpcRoutesOptions {
  /** `listen.internal.shared_secret`: when set, every call must carry it. */
  readonly sharedSecret?: string;
  /** Assert responses JSON-safe before sending; defaults to on under the test runner (AXON_RPC_CHECKS=1). */
  readonly checkJsonSafety?: boolean;
  /**
   * Largest request body. Internal requests carry whole state snapshots, so the default (64 MiB)
   * is well above the public `http.max_body_bytes`.
   */
  readonly maxBodyBytes?: number;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Route descriptors serving `impl` at `/_axon/internal/<component>/<method>`.
 *
 * @param component The component's name, as its clients use it.
 * @param methods Its method table; only these methods are served.
 * @param impl The implementation (the component's `internal` object).
 */
export function rpcRoutes<T extends RpcApi<T>>(
  component: string,
  methods: RpcMethods<T>,
  impl: T,
  opts: RpcRoutesOptions = {},
): AnyRoute[] {
  const checkSecret = secretChecker(opts.sharedSecret);
  const check = opts.checkJsonSafety ?? jsonSafetyChecksByDefault();
  return rpcMethodNames(component, methods).map((method) => {
    const call = bindRpcMethod(impl, component, method);
    return defineRoute({
      method: 'POST',
      path: rpcPath(component, method),
      auth: 'none',
      rateLimit: 'none',
      schema: {},
      bodyLimit: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      handler: async (ctx) => {
        checkSecret(ctx.request.headers[SHARED_SECRET_HEADER]);
        let text: string | undefined;
        try {
          const result = await call(ctx.body);
          if (check && result !== undefined) assertJsonSafe(result, `${component}.${method} response`);
          // Serialised here, not by Fastify, which would send a string result unquoted; and inside
          // the try, so a result that cannot be serialised is reported as the method's failure.
          text = result === undefined ? undefined : JSON.stringify(result);
        } catch (e) {
          return answerError(ctx, e, component, method);
        }
        if (text === undefined) void ctx.reply.code(204).send();
        else void ctx.reply.code(200).type('application/json').send(text);
        return RAW_REPLY_SENT;
      },
    });
  });
}

function answerError(ctx: RouteContext<RouteSchemas>, e: unknown, component: string, method: string): typeof RAW_REPLY_SENT {
  const wire = encodeRpcError(e);
  // The stack exists only here; the caller gets the message.
  if (wire.status >= 500) ctx.request.log.error({ err: e, component, method }, 'internal API method failed');
  void ctx.reply.code(wire.status).type('application/json').send(JSON.stringify(wire));
  return RAW_REPLY_SENT;
}

/** A constant-time check of the secret header; hashing first makes the comparison length-independent. */
function secretChecker(secret: string | undefined): (given: string | string[] | undefined) => void {
  if (secret === undefined) return () => {};
  const expected = createHash('sha256').update(secret).digest();
  return (given) => {
    if (given === undefined) throw MatrixError.unauthorized('Missing internal API secret');
    const digest = createHash('sha256').update(typeof given === 'string' ? given : '').digest();
    if (typeof given !== 'string' || !timingSafeEqual(digest, expected)) throw MatrixError.forbidden('Wrong internal API secret');
  };
}
