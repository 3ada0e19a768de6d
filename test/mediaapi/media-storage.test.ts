/** The mediaapi's storage on SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openMediaStorage, type MediaStorage, type StoredMedia } from '../../src/mediaapi/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const H3 = 'c'.repeat(64);

function media(mediaId: string, over: Partial<StoredMedia> = {}): StoredMedia {
  return {
    origin: 'hs.test',
    mediaId,
    contentHash: H1,
    contentType: 'image/png',
    uploadName: 'x.png',
    size: 1234,
    userId: '@alice:hs.test',
    createdTs: 1_700_000_000_000,
    unusedExpiresTs: null,
    quarantined: false,
    ...over,
  };
}

describeEachBackend('mediaapi storage', (backend) => {
  let st: MediaStorage;
  before(async () => {
    st = await openMediaStorage(await backend.open());
  });

  it('stores and reads media rows exactly', async () => {
    const m = media('m1', { size: 5_000_000_000 });
    await st.insertMedia(m);
    assert.deepEqual(await st.getMedia('hs.test', 'm1'), m);
    assert.equal(await st.getMedia('hs.test', 'nope'), undefined);
    assert.equal(await st.getMedia('other.test', 'm1'), undefined);
  });

  it('completes a pending upload once, by its creator, before expiry', async () => {
    const now = 1_800_000_000_000;
    await st.insertMedia(media('p1', { contentHash: null, contentType: null, uploadName: null, size: null, unusedExpiresTs: now + 1000 }));
    await st.insertMedia(media('p2', { contentHash: null, contentType: null, uploadName: null, size: null, unusedExpiresTs: now - 1 }));
    assert.equal(await st.countPendingUploads('@alice:hs.test', now), 1);
    const content = { contentHash: H2, contentType: 'text/plain', uploadName: 'n.txt', size: 7 };
    assert.equal(await st.completeUpload('hs.test', 'p1', '@bob:hs.test', content, now), 'forbidden');
    assert.equal(await st.completeUpload('hs.test', 'p2', '@alice:hs.test', content, now), 'not-found');
    assert.equal(await st.completeUpload('hs.test', 'zz', '@alice:hs.test', content, now), 'not-found');
    assert.equal(await st.completeUpload('hs.test', 'p1', '@alice:hs.test', content, now), 'completed');
    assert.equal(await st.completeUpload('hs.test', 'p1', '@alice:hs.test', content, now), 'already-uploaded');
    const got = await st.getMedia('hs.test', 'p1');
    assert.deepEqual(
      { h: got?.contentHash, t: got?.contentType, n: got?.uploadName, s: got?.size, e: got?.unusedExpiresTs },
      { h: H2, t: 'text/plain', n: 'n.txt', s: 7, e: null },
    );
    assert.equal(await st.countPendingUploads('@alice:hs.test', now), 0);
    assert.equal(await st.deleteExpiredPending(now), 1);
    assert.equal(await st.getMedia('hs.test', 'p2'), undefined);
  });

  it('quarantines and releases', async () => {
    await st.insertMedia(media('q1'));
    assert.equal(await st.setQuarantined('hs.test', 'q1', true), true);
    assert.equal((await st.getMedia('hs.test', 'q1'))?.quarantined, true);
    assert.equal(await st.setQuarantined('hs.test', 'q1', false), true);
    assert.equal((await st.getMedia('hs.test', 'q1'))?.quarantined, false);
    assert.equal(await st.setQuarantined('hs.test', 'none', true), false);
  });

  it('caches thumbnails by key, keeping the first of two', async () => {
    await st.insertMedia(media('t1', { contentHash: H3 }));
    const key = { origin: 'hs.test', mediaId: 't1', width: 32, height: 32, method: 'crop' as const, animated: false };
    await st.addThumbnail({ ...key, contentType: 'image/png', contentHash: H1, size: 10 });
    await st.addThumbnail({ ...key, contentType: 'image/jpeg', contentHash: H2, size: 20 });
    assert.deepEqual(await st.getThumbnail(key), { ...key, contentType: 'image/png', contentHash: H1, size: 10 });
    assert.equal(await st.getThumbnail({ ...key, animated: true }), undefined);
    await st.addThumbnail({ ...key, width: 320, height: 240, method: 'scale', contentType: 'image/jpeg', contentHash: H2, size: 30 });
    assert.deepEqual((await st.getThumbnails('hs.test', 't1')).map((t) => [t.width, t.method]), [[32, 'crop'], [320, 'scale']]);
  });

  it('deletes a media with its thumbnails and reports the hashes nothing uses any more', async () => {
    // t1 uses H3 and thumbnails H1, H2; m1 and q1 still use H1.
    const unused = await st.deleteMedia('hs.test', 't1');
    assert.deepEqual(unused?.sort(), [H3]);
    assert.deepEqual(await st.getThumbnails('hs.test', 't1'), []);
    assert.equal(await st.getMedia('hs.test', 't1'), undefined);
    assert.equal(await st.deleteMedia('hs.test', 't1'), undefined);
  });
});
