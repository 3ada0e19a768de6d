/** The demo API's suite, run in process and over HTTP by the contract harness. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MatrixError } from '../../src/internal/errors/matrix-error.js';
import { RpcRemoteError } from '../../src/internal/rpc/rpc-remote-error.js';
import type { JsonValue } from '../../src/matrix/json.js';
import { describeApiContract } from '../harness/describe-api-contract.js';
import { DemoAPIMethods, DemoRejectedError, makeDemoImpl, type DemoAPI } from './demo-api.js';

describeApiContract<DemoAPI>(
  'demo',
  DemoAPIMethods,
  async () => ({ impl: makeDemoImpl(), cleanup: async () => {} }),
  (api) => {
    it('answers a query for something absent', async () => {
      assert.deepEqual(await api().queryThing({ id: 'nothing' }), { found: false });
    });

    it('stores with perform and reads it back with query', async () => {
      assert.deepEqual(await api().performThing({ thing: { id: 'a', label: 'Ä\u{1F600}"\\', tags: ['x', 'y'] } }), { count: 1 });
      assert.deepEqual(await api().performThing({ thing: { id: 'b', label: '', tags: [] } }), { count: 2 });
      assert.deepEqual(await api().queryThing({ id: 'a' }), {
        found: true,
        thing: { id: 'a', label: 'Ä\u{1F600}"\\', tags: ['x', 'y'] },
      });
    });

    it('does not let the caller mutate the implementation through requests or answers', async () => {
      const thing = { id: 'm', label: 'before', tags: ['t'] };
      await api().performThing({ thing });
      thing.tags.push('pushed-by-caller-after-the-call');
      const first = await api().queryThing({ id: 'm' });
      assert.deepEqual(first.thing?.tags, ['t']);
      first.thing?.tags.push('pushed-into-the-answer');
      assert.deepEqual((await api().queryThing({ id: 'm' })).thing?.tags, ['t']);
    });

    it('answers undefined for a method that returns nothing', async () => {
      assert.equal(await api().inputThing({ id: 'seen-1' }), undefined);
    });

    it('carries bare JSON values and deep structures unchanged', async () => {
      const values: JsonValue[] = ['plain', '', 0, -1.5, 1e300, true, false, null, [], {}, [1, [2, [3]]]];
      values.push({ a: { b: [null, 'c'] } });
      for (const value of values) {
        assert.deepEqual(await api().queryEcho({ value }), value);
      }
    });

    it('drops properties that are undefined, on both transports', async () => {
      const value = { kept: 1, dropped: undefined } as unknown as { kept: number };
      const echoed = await api().queryEcho({ value });
      assert.deepEqual(Object.keys(echoed as object), ['kept']);
    });

    it('rebuilds a MatrixError with its errcode, status and extra fields', async () => {
      const err = await api()
        .performForbidden({ room_id: '!r:test' })
        .then(
          () => assert.fail('should have thrown'),
          (e: unknown) => e,
        );
      assert.ok(err instanceof MatrixError);
      assert.equal(err.errcode, 'M_FORBIDDEN');
      assert.equal(err.status, 403);
      assert.equal(err.message, 'You are not invited to this room');
      assert.deepEqual(err.extra, { room_id: '!r:test', retry: false, detail: { level: 50 } });
      assert.deepEqual(err.body(), {
        errcode: 'M_FORBIDDEN',
        error: 'You are not invited to this room',
        room_id: '!r:test',
        retry: false,
        detail: { level: 50 },
      });
    });

    it('turns an unexpected error into a non-retriable RpcRemoteError', async () => {
      await assert.rejects(api().performCrash({ detail: 'sector 7' }), (e: unknown) => {
        assert.ok(e instanceof RpcRemoteError);
        assert.equal(e.origin, 'implementation');
        assert.equal(e.status, 500);
        assert.equal(e.component, 'demo');
        assert.equal(e.method, 'performCrash');
        assert.equal(e.retriable, false);
        assert.equal(e.errcode, undefined);
        return true;
      });
    });

    it('rebuilds a component-registered error kind', async () => {
      await assert.rejects(api().performReject({ reason_code: 'auth_failed' }), (e: unknown) => {
        assert.ok(e instanceof DemoRejectedError);
        assert.equal(e.reasonCode, 'auth_failed');
        assert.equal(e.message, 'event rejected');
        return true;
      });
    });

    it('waits for a slow method within the deadline', async () => {
      assert.deepEqual(await api().querySlow({ delay_ms: 30 }), { slept_ms: 30 });
    });
  },
);
