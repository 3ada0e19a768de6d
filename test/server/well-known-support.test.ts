/**
 * `/.well-known/matrix/support` on a real monolith's client listener: the configured document
 * with the same CORS headers as `/.well-known/matrix/client`, or 404 when none is configured.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestMonolith } from '../harness/start-test-monolith.js';

describe('/.well-known/matrix/support', () => {
  it('serves the configured contacts and support page, with CORS like the client well-known', async () => {
    const monolith = await startTestMonolith({
      well_known: {
        support: {
          contacts: [
            { role: 'm.role.admin', matrix_id: '@admin:elsewhere.test', email_address: 'admin@hs.test' },
            { role: 'm.role.security', email_address: 'security@hs.test' },
          ],
          support_page: 'https://hs.test/support.html',
        },
      },
    });
    try {
      const res = await fetch(`${monolith.baseUrl}/.well-known/matrix/support`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.deepEqual(await res.json(), {
        contacts: [
          { role: 'm.role.admin', matrix_id: '@admin:elsewhere.test', email_address: 'admin@hs.test' },
          { role: 'm.role.security', email_address: 'security@hs.test' },
        ],
        support_page: 'https://hs.test/support.html',
      });
      const client = await fetch(`${monolith.baseUrl}/.well-known/matrix/client`);
      assert.equal(client.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.equal(res.headers.get('access-control-allow-origin'), client.headers.get('access-control-allow-origin'));
      assert.equal(res.headers.get('cache-control'), client.headers.get('cache-control'));
    } finally {
      await monolith.stop();
    }
  });

  it('serves a support page alone, without an empty contacts list', async () => {
    const monolith = await startTestMonolith({ well_known: { support: { contacts: [], support_page: 'https://hs.test/help' } } });
    try {
      const res = await fetch(`${monolith.baseUrl}/.well-known/matrix/support`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { support_page: 'https://hs.test/help' });
    } finally {
      await monolith.stop();
    }
  });

  it('answers 404 M_NOT_FOUND when nothing is configured', async () => {
    const monolith = await startTestMonolith();
    try {
      const res = await fetch(`${monolith.baseUrl}/.well-known/matrix/support`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { errcode?: string }).errcode, 'M_NOT_FOUND');
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    } finally {
      await monolith.stop();
    }
  });
});
