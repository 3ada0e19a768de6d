import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import { openMediaFileStore } from './media-file-store.js';

describe('media file store', () => {
  const root = mkdtempSync(join(tmpdir(), 'axon-files-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('stores a stream under its sha256, deduplicating identical content', async () => {
    const store = await openMediaFileStore(root);
    const bytes = randomBytes(300_000);
    const chunks = [bytes.subarray(0, 100_000), bytes.subarray(100_000)];
    const a = await store.put(Readable.from(chunks), 1_000_000);
    const b = await store.put(Readable.from([bytes]), 1_000_000);
    const hash = createHash('sha256').update(bytes).digest('hex');
    assert.deepEqual(a, { hash, size: 300_000 });
    assert.deepEqual(b, a);
    assert.equal(store.pathOf(hash), join(root, hash.slice(0, 2), hash.slice(2, 4), hash));
    assert.ok(readFileSync(store.pathOf(hash)).equals(bytes));
    assert.deepEqual(await store.putBuffer(bytes), a);
  });

  it('stops a stream at the limit with M_TOO_LARGE and keeps nothing', async () => {
    const store = await openMediaFileStore(root);
    let produced = 0;
    async function* endless() {
      for (;;) {
        produced += 65536;
        yield Buffer.alloc(65536);
      }
    }
    await assert.rejects(store.put(Readable.from(endless()), 200_000), (e: unknown) => e instanceof MatrixError && e.errcode === 'M_TOO_LARGE');
    assert.ok(produced < 2_000_000, `read ${produced} bytes of an endless body`);
    assert.deepEqual(readdirSync(join(root, 'tmp')), []);
  });

  it('removes files and refuses paths that are not hashes', async () => {
    const store = await openMediaFileStore(root);
    const { hash } = await store.putBuffer(Buffer.from('bye'));
    await store.remove(hash);
    assert.ok(!existsSync(store.pathOf(hash)));
    await store.remove(hash);
    assert.throws(() => store.pathOf('../../etc/passwd'));
  });
});
