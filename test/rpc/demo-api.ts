/**
 * A test-only component API exercising every behaviour the internal RPC must carry identically
 * in process and over HTTP: results (including `undefined` and bare JSON values), MatrixErrors
 * with extra fields, unexpected errors, a component-specific error kind, and slowness.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { registerRpcErrorKind, type RpcErrorData, type RpcErrorKind } from '../../src/internal/rpc/rpc-error-codec.js';
import type { RpcMethods } from '../../src/internal/rpc/rpc-protocol.js';
import type { JsonValue } from '../../src/matrix/json.js';

export interface Thing {
  readonly id: string;
  readonly label: string;
  readonly tags: string[];
}

export interface QueryThingRequest {
  readonly id: string;
}
export interface QueryThingResponse {
  readonly found: boolean;
  readonly thing?: Thing;
}
export interface PerformThingRequest {
  readonly thing: Thing;
}
export interface PerformThingResponse {
  /** How many things are stored after this one. */
  readonly count: number;
}
export interface InputThingRequest {
  readonly id: string;
}
export interface QueryEchoRequest {
  readonly value: JsonValue;
}
export interface PerformForbiddenRequest {
  readonly room_id: string;
}
export interface PerformCrashRequest {
  readonly detail: string;
}
export interface PerformRejectRequest {
  readonly reason_code: string;
}
export interface QuerySlowRequest {
  readonly delay_ms: number;
}
export interface QuerySlowResponse {
  readonly slept_ms: number;
}

export interface DemoAPI {
  queryThing(req: QueryThingRequest): Promise<QueryThingResponse>;
  performThing(req: PerformThingRequest): Promise<PerformThingResponse>;
  /** Records that the thing was seen; answers nothing. */
  inputThing(req: InputThingRequest): Promise<void>;
  /** Answers `req.value` itself (a bare string, number, null …). */
  queryEcho(req: QueryEchoRequest): Promise<JsonValue>;
  /** Throws M_FORBIDDEN with extra fields. */
  performForbidden(req: PerformForbiddenRequest): Promise<PerformThingResponse>;
  /** Throws a plain Error. */
  performCrash(req: PerformCrashRequest): Promise<PerformThingResponse>;
  /** Throws {@link DemoRejectedError}, a component-registered error kind. */
  performReject(req: PerformRejectRequest): Promise<PerformThingResponse>;
  querySlow(req: QuerySlowRequest): Promise<QuerySlowResponse>;
}

export const DemoAPIMethods = {
  queryThing: true,
  performThing: true,
  inputThing: true,
  queryEcho: true,
  performForbidden: true,
  performCrash: true,
  performReject: true,
  querySlow: true,
} as const satisfies RpcMethods<DemoAPI>;

/** A typed rejection callers branch on by `reasonCode`, as a roomserver would reject an event. */
export class DemoRejectedError extends Error {
  override readonly name = 'DemoRejectedError';
  constructor(
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
  }
}

interface DemoRejectedWire extends RpcErrorData {
  readonly reason_code: string;
}

export const DEMO_REJECTED_KIND: RpcErrorKind<DemoRejectedError, DemoRejectedWire> = {
  kind: 'demo_rejected',
  is: (err): err is DemoRejectedError => err instanceof DemoRejectedError,
  encode: (err) => ({ status: 400, error: err.message, reason_code: err.reasonCode }),
  decode: (wire) => (typeof wire.reason_code === 'string' ? new DemoRejectedError(wire.reason_code, wire.error) : undefined),
};
registerRpcErrorKind(DEMO_REJECTED_KIND);

/** The implementation, over an in-memory map; also counts `inputThing` calls for assertions. */
export function makeDemoImpl(): DemoAPI & { readonly seen: string[] } {
  const things = new Map<string, Thing>();
  const seen: string[] = [];
  return {
    seen,
    async queryThing({ id }) {
      const thing = things.get(id);
      // The stored object itself: callers must not be able to mutate it through the answer.
      return thing ? { found: true, thing } : { found: false };
    },
    async performThing({ thing }) {
      things.set(thing.id, thing);
      return { count: things.size };
    },
    async inputThing({ id }) {
      seen.push(id);
    },
    async queryEcho({ value }) {
      return value;
    },
    async performForbidden({ room_id }) {
      throw MatrixError.forbidden('You are not invited to this room', { room_id, retry: false, detail: { level: 50 } });
    },
    async performCrash({ detail }) {
      throw new Error(`disk on fire: ${detail}`);
    },
    async performReject({ reason_code }) {
      throw new DemoRejectedError(reason_code, 'event rejected');
    },
    async querySlow({ delay_ms }) {
      await sleep(delay_ms);
      return { slept_ms: delay_ms };
    },
  };
}
