/** The empty row of remote media known only by its thumbnails, filled once its file is fetched: SQLite and PostgreSQL. */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { openMediaStorage, type MediaStorage, type StoredMedia } from '../../src/mediaapi/storage/index.js';
import { describeEachBackend } from '../harness/describe-each-backend.js';

const CONTENT = { contentHash: 'd'.repeat(64), contentType: 'image/jpeg', uploadName: 'photo.jpg', size: 4321 };

function empty(mediaId: string, over: Partial<StoredMedia> = {}): StoredMedia {
  return {
    origin: 'remote.test',
    mediaId,
    contentHash: null,
    contentType: null,
    uploadName: null,
    size: null,
    userId: null,
    createdTs: 1_700_000_000_000,
    unusedExpiresTs: null,
    quarantined: false,
    ...over,
  };
}

describeEachBackend('mediaapi storage: remote media rows', (backend) => {
  let st: MediaStorage;
  before(async () => {
    st = await openMediaStorage(await backend.open());
  });

  it('fills an empty remote row once, keeping its other fields', async () => {
    await st.insertMedia(empty('r1', { quarantined: true }));
    assert.equal(await st.completeRemoteMedia('remote.test', 'r1', CONTENT), true);
    assert.deepEqual(await st.getMedia('remote.test', 'r1'), { ...empty('r1', { quarantined: true }), ...CONTENT });
    assert.equal(await st.completeRemoteMedia('remote.test', 'r1', { ...CONTENT, size: 1 }), false, 'a filled row is not filled again');
    assert.equal((await st.getMedia('remote.test', 'r1'))?.size, 4321);
  });

  it("never fills a pending upload (it has an uploader) or a row that does not exist", async () => {
    const pending = empty('r2', { origin: 'hs.test', userId: '@alice:hs.test', unusedExpiresTs: 1_700_000_060_000 });
    await st.insertMedia(pending);
    assert.equal(await st.completeRemoteMedia('hs.test', 'r2', CONTENT), false);
    assert.deepEqual(await st.getMedia('hs.test', 'r2'), pending);
    assert.equal(await st.completeRemoteMedia('remote.test', 'missing', CONTENT), false);
    assert.equal(await st.getMedia('remote.test', 'missing'), undefined);
  });
});
