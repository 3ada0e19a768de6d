import assert from 'node:assert/strict';
import { it } from 'node:test';
import { runMigrations } from '../../src/internal/sqlutil/run-migrations.js';
import { typedDb } from '../../src/internal/sqlutil/database.js';
import { urlPreviewsMigration } from '../../src/mediaapi/storage/url-previews-migration.js';
import { createUrlPreviewsStorage } from '../../src/mediaapi/storage/url-previews-storage.js';
import type { UrlPreviewsTables } from '../../src/mediaapi/storage/url-previews-table.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

describeEachBackend('url previews storage', (ctx) => {
  const open = async () => {
    const database = await ctx.open();
    await runMigrations(database, 'mediaapi_preview_test', [urlPreviewsMigration(1)]);
    return createUrlPreviewsStorage(typedDb<UrlPreviewsTables>(database));
  };
  const T = 1_700_000_000_000;

  it('finds the preview fetched closest to a time: latest at or before, else earliest after', async () => {
    const s = await open();
    assert.equal(await s.getClosestUrlPreview('https://a.example/', T), undefined);
    await s.storeUrlPreview('https://a.example/', { fetchedTs: T, expiresTs: T + 1000, preview: { 'og:title': 'v1' } });
    await s.storeUrlPreview('https://a.example/', { fetchedTs: T + 5000, expiresTs: T + 6000, preview: { 'og:title': 'v2', 'matrix:image:size': 7 } });
    await s.storeUrlPreview('https://b.example/', { fetchedTs: T + 100, expiresTs: T + 200, preview: { 'og:title': 'other' } });
    assert.deepEqual(await s.getClosestUrlPreview('https://a.example/', T - 1), { fetchedTs: T, expiresTs: T + 1000, preview: { 'og:title': 'v1' } });
    assert.deepEqual((await s.getClosestUrlPreview('https://a.example/', T + 4999))?.preview, { 'og:title': 'v1' });
    assert.deepEqual(await s.getClosestUrlPreview('https://a.example/', T + 5000), { fetchedTs: T + 5000, expiresTs: T + 6000, preview: { 'og:title': 'v2', 'matrix:image:size': 7 } });
  });

  it('keeps the first row stored for one URL and time, and prunes expired rows', async () => {
    const s = await open();
    await s.storeUrlPreview('u', { fetchedTs: T, expiresTs: T + 10, preview: { n: 1 } });
    await s.storeUrlPreview('u', { fetchedTs: T, expiresTs: T + 10, preview: { n: 2 } });
    await s.storeUrlPreview('u', { fetchedTs: T + 50, expiresTs: T + 100, preview: { n: 3 } });
    assert.deepEqual((await s.getClosestUrlPreview('u', T))?.preview, { n: 1 });
    assert.equal(await s.pruneUrlPreviews(T + 11), 1);
    assert.deepEqual((await s.getClosestUrlPreview('u', T))?.preview, { n: 3 });
    assert.equal(await s.pruneUrlPreviews(T + 11), 0);
  });
});
