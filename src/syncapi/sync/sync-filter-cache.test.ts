import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryFilterRequest } from '../../userapi/api.js';
import { cachedSyncFilterResolver } from './sync-filter-cache.js';

function userapi(stored: Record<string, Record<string, unknown>>) {
  const asked: string[] = [];
  return {
    asked,
    async queryFilter(req: QueryFilterRequest) {
      asked.push(`${req.userId}/${req.filterId}`);
      return { filter: stored[`${req.userId}/${req.filterId}`] ?? null };
    },
  };
}

describe('cachedSyncFilterResolver', () => {
  it('looks a stored filter up once per user and ID', async () => {
    const api = userapi({ '@a:x/1': { room: { timeline: { limit: 3 } } }, '@b:x/1': { room: { timeline: { limit: 4 } } } });
    const resolve = cachedSyncFilterResolver(api);
    const first = await resolve('1', '@a:x');
    assert.equal(first.room.timeline.limit, 3);
    assert.equal(await resolve('1', '@a:x'), first, 'the same object, not parsed again');
    assert.equal((await resolve('1', '@b:x')).room.timeline.limit, 4, "another user's filter 1 is another filter");
    assert.deepEqual(api.asked, ['@a:x/1', '@b:x/1']);
  });

  it('parses an inline filter once, whoever sends it, and never asks the userapi', async () => {
    const api = userapi({});
    const resolve = cachedSyncFilterResolver(api);
    const f = await resolve('{"room":{"timeline":{"limit":2}}}', '@a:x');
    assert.equal(await resolve('{"room":{"timeline":{"limit":2}}}', '@b:x'), f);
    assert.equal((await resolve(undefined, '@a:x')).room.timeline.limit, 10);
    assert.deepEqual(api.asked, []);
  });

  it('does not remember failures, and keeps at most its capacity', async () => {
    const stored: Record<string, Record<string, unknown>> = {};
    const api = userapi(stored);
    const resolve = cachedSyncFilterResolver(api, 2);
    await assert.rejects(resolve('7', '@a:x'), { errcode: 'M_INVALID_PARAM' });
    stored['@a:x/7'] = {};
    assert.equal((await resolve('7', '@a:x')).eventFormat, 'client');
    await resolve('{}', '@a:x');
    await resolve('{"event_format":"federation"}', '@a:x');
    // `7` was the oldest of three: asked again.
    await resolve('7', '@a:x');
    assert.deepEqual(api.asked, ['@a:x/7', '@a:x/7', '@a:x/7']);
  });
});
