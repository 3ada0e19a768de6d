import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../errors/matrix-error.js';
import { decodeRpcError, encodeRpcError, registerRpcErrorKind, type RpcErrorData, type RpcErrorKind } from './rpc-error-codec.js';
import { RpcRemoteError } from './rpc-remote-error.js';

const at = { component: 'comp', method: 'performX' };

class CodedError extends Error {
  constructor(readonly code: number) {
    super(`coded ${code}`);
  }
}
interface CodedWire extends RpcErrorData {
  readonly code: number;
}
const CODED: RpcErrorKind<CodedError, CodedWire> = {
  kind: 'test_coded',
  is: (e): e is CodedError => e instanceof CodedError,
  encode: (e) => ({ status: 409, error: e.message, code: e.code }),
  decode: (w) => (typeof w.code === 'number' ? new CodedError(w.code) : undefined),
};
registerRpcErrorKind(CODED);

describe('encodeRpcError', () => {
  it('encodes a MatrixError as its toJSON with kind matrix', () => {
    assert.deepEqual(encodeRpcError(MatrixError.limitExceeded(1500)), {
      kind: 'matrix',
      errcode: 'M_LIMIT_EXCEEDED',
      error: 'Too many requests',
      status: 429,
      extra: { retry_after_ms: 1500 },
    });
  });

  it('encodes anything unregistered as internal 500 with name and message', () => {
    assert.deepEqual(encodeRpcError(new TypeError('bad')), { kind: 'internal', status: 500, error: 'bad', name: 'TypeError' });
    assert.deepEqual(encodeRpcError('a string'), { kind: 'internal', status: 500, error: 'a string', name: 'string' });
  });

  it('encodes a registered kind and forces its status into 400–599', () => {
    assert.deepEqual(encodeRpcError(new CodedError(7)), { kind: 'test_coded', status: 409, error: 'coded 7', code: 7 });
    const weird = new MatrixError(200, 'M_WEIRD', 'status 200 is not an error');
    assert.equal(encodeRpcError(weird).status, 500);
  });
});

describe('decodeRpcError', () => {
  it('rebuilds a MatrixError', () => {
    const e = decodeRpcError({ kind: 'matrix', errcode: 'M_FORBIDDEN', error: 'no', status: 403, extra: { a: 1 } }, at);
    assert.ok(e instanceof MatrixError);
    assert.deepEqual([e.errcode, e.status, e.message, e.extra], ['M_FORBIDDEN', 403, 'no', { a: 1 }]);
  });

  it('rebuilds a MatrixError sent without extra with empty extra', () => {
    const e = decodeRpcError({ kind: 'matrix', errcode: 'M_NOT_FOUND', error: 'gone', status: 404 }, at);
    assert.ok(e instanceof MatrixError);
    assert.deepEqual(e.extra, {});
  });

  it('rebuilds a registered kind', () => {
    const e = decodeRpcError({ kind: 'test_coded', status: 409, error: 'x', code: 42 }, at);
    assert.ok(e instanceof CodedError);
    assert.equal(e.code, 42);
  });

  it('turns internal into an implementation RpcRemoteError keeping the message', () => {
    const e = decodeRpcError({ kind: 'internal', status: 500, error: 'db gone', name: 'Error' }, at);
    assert.ok(e instanceof RpcRemoteError);
    assert.deepEqual(
      [e.origin, e.status, e.component, e.method, e.message],
      ['implementation', 500, 'comp', 'performX', 'comp.performX: Error: db gone'],
    );
  });

  it('turns an unknown kind into an implementation RpcRemoteError', () => {
    const e = decodeRpcError({ kind: 'from_the_future', status: 418, error: 'teapot' }, at);
    assert.ok(e instanceof RpcRemoteError);
    assert.deepEqual([e.origin, e.status], ['implementation', 418]);
  });

  it('turns a malformed registered kind into a transport RpcRemoteError', () => {
    for (const body of [
      { kind: 'matrix', error: 'no errcode', status: 403 },
      { kind: 'matrix', errcode: 'M_X', error: 'bad extra', status: 403, extra: 'str' },
      { kind: 'test_coded', status: 409, error: 'no code' },
    ]) {
      const e = decodeRpcError(body, at);
      assert.ok(e instanceof RpcRemoteError, JSON.stringify(body));
      assert.equal(e.origin, 'transport');
    }
  });

  it('returns undefined for anything that is not an RPC error', () => {
    for (const body of [undefined, null, 'x', [], { errcode: 'M_FORBIDDEN', error: 'no' }, { kind: 3 }]) {
      assert.equal(decodeRpcError(body, at), undefined);
    }
  });

  it('round-trips every kind through JSON', () => {
    for (const err of [MatrixError.forbidden('f', { x: [1] }), new CodedError(3)]) {
      const back = decodeRpcError(JSON.parse(JSON.stringify(encodeRpcError(err))), at);
      assert.equal(back?.constructor, err.constructor);
      assert.deepEqual({ ...back }, { ...err });
    }
  });
});

describe('registerRpcErrorKind', () => {
  it('accepts the same kind object twice but refuses a second rebuilder for a kind', () => {
    assert.doesNotThrow(() => registerRpcErrorKind(CODED));
    assert.throws(() => registerRpcErrorKind({ ...CODED }), /already registered/);
    assert.throws(() => registerRpcErrorKind({ ...CODED, kind: 'internal' }), /reserved/);
  });
});
