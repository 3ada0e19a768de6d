/**
 * The federation media routes exist only on a server that federates: without federation no
 * server may fetch our media, and a media process needs no X-Matrix verification (nor a
 * federationapi to ask for keys).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestMonolith } from '../harness/start-test-monolith.js';

describe('federation media routes and the federation switch', () => {
  it('are not served when federation is off', async () => {
    const m = await startTestMonolith({ federation: { enabled: false } });
    try {
      for (const path of ['/_matrix/federation/v1/media/download/abc', '/_matrix/federation/v1/media/thumbnail/abc?width=1&height=1']) {
        const res = await fetch(`${m.baseUrl}${path}`);
        assert.equal(res.status, 404, path);
        assert.equal(((await res.json()) as { errcode: string }).errcode, 'M_UNRECOGNIZED', path);
      }
    } finally {
      await m.stop();
    }
  });

  it('are served (to signed requests only) when federation is on', async () => {
    const m = await startTestMonolith();
    try {
      const res = await fetch(`${m.baseUrl}/_matrix/federation/v1/media/download/abc`);
      assert.equal(res.status, 401);
    } finally {
      await m.stop();
    }
  });
});
