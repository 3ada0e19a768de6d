import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lateBoundApi } from './late-bound-api.js';

interface Echo {
  echo(req: { x: number }): Promise<{ x: number }>;
}

describe('lateBoundApi', () => {
  it('fails clearly before the target starts, then forwards calls', async () => {
    let target: Echo | undefined = undefined;
    const api = lateBoundApi<Echo>('echoer', () => target);
    assert.throws(() => api.echo({ x: 1 }), /component echoer was called \(echo\) before it started/);
    target = { echo: async (r) => ({ x: r.x + 1 }) };
    assert.deepEqual(await api.echo({ x: 1 }), { x: 2 });
  });

  it('names a method the target does not have', () => {
    const api = lateBoundApi<Echo & { nope(): Promise<void> }>('echoer', () => ({}));
    assert.throws(() => api.nope(), /component echoer has no API method nope/);
  });

  it('is not mistaken for a promise', async () => {
    const api = lateBoundApi<Echo>('echoer', () => undefined);
    assert.equal(await Promise.resolve(api), api);
  });
});
