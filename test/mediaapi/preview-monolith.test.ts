import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startClientTestServer, type ClientTestServer, type TestUser } from '../clientapi/client-test-server.js';
import { html, startOrigin, type TestOrigin } from './preview-test-kit.js';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452000000030000000208060000', 'hex'), Buffer.alloc(12)]);
const PREVIEW = '/_matrix/client/v1/media/preview_url';

/** The route as a monolith serves it: wired into the mediaapi, its cache and its uploads. */
describe('preview_url in a monolith', () => {
  let origin: TestOrigin;
  let denied: ClientTestServer;
  let allowed: ClientTestServer;
  let alice: TestUser;
  let bob: TestUser;

  before(async () => {
    origin = await startOrigin({
      '/page': html('<meta property="og:title" content="Hello"><meta property="og:image" content="/logo.png">'),
      '/logo.png': (_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(PNG),
    });
    denied = await startClientTestServer({ federation: { allow_networks: [] } });
    allowed = await startClientTestServer({ federation: { allow_networks: ['127.0.0.0/8'] } });
    alice = await denied.register('alice');
    bob = await allowed.register('bob');
  });
  after(async () => {
    await Promise.all([denied.stop(), allowed.stop()]);
    await origin.close();
  });

  it('refuses the loopback origin under the default deny list', async () => {
    const res = await denied.call('GET', `${PREVIEW}?url=${encodeURIComponent(`${origin.base}/page`)}`, { token: alice.accessToken });
    assert.equal(res.status, 403);
    assert.deepEqual(res.body, { errcode: 'M_UNKNOWN', error: 'IP address blocked' });
    assert.deepEqual(origin.hits, []);
    const anonymous = await denied.call('GET', `${PREVIEW}?url=${encodeURIComponent(`${origin.base}/page`)}`);
    assert.equal(anonymous.status, 401);
  });

  it('previews an allowed origin, storing og:image as local media that can be downloaded', async () => {
    const res = await allowed.call('GET', `${PREVIEW}?url=${encodeURIComponent(`${origin.base}/page`)}`, { token: bob.accessToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const mxc = String(res.body['og:image']);
    assert.match(mxc, /^mxc:\/\/[^/]+\/[A-Za-z0-9_-]+$/);
    assert.deepEqual({ ...res.body, 'og:image': 'mxc' }, {
      'og:title': 'Hello',
      'og:image': 'mxc',
      'og:image:type': 'image/png',
      'matrix:image:size': PNG.length,
      'og:image:width': 3,
      'og:image:height': 2,
    });
    const [serverName, mediaId] = mxc.slice('mxc://'.length).split('/');
    const download = await fetch(`${allowed.url}/_matrix/client/v1/media/download/${serverName}/${mediaId}`, { headers: { authorization: `Bearer ${bob.accessToken}` } });
    assert.equal(download.status, 200);
    assert.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);
  });

  it('answers the deprecated /_matrix/media/v3/preview_url the same, with a token only', async () => {
    const legacy = `/_matrix/media/v3/preview_url?url=${encodeURIComponent(`${origin.base}/page`)}`;
    const res = await allowed.call('GET', legacy, { token: bob.accessToken });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body['og:title'], 'Hello');
    assert.equal((await allowed.call('GET', legacy)).status, 401);
  });
});
