/**
 * `old_signing_keys` in the config reaches `GET /_matrix/key/v2/server` as `old_verify_keys`,
 * inside the signed response, on a real monolith.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { generateSigningKey } from '../../src/matrix/signing-key.js';
import { parseServerKeys } from '../../src/matrix/server-keys.js';
import { isJsonObject } from '../../src/matrix/json.js';
import { startTestMonolith, type TestMonolith } from '../harness/start-test-monolith.js';

const OLD = generateSigningKey('rotated');
let hs: TestMonolith;
before(async () => {
  hs = await startTestMonolith({ old_signing_keys: { [OLD.keyId]: { key: OLD.publicKeyBase64, expired_ts: 1_600_000_000_000 } } });
});
after(() => hs?.stop());

it('publishes the configured old keys, signed with the current key', async () => {
  const json: unknown = await (await fetch(`${hs.baseUrl}/_matrix/key/v2/server`)).json();
  assert.ok(isJsonObject(json));
  assert.deepEqual(json.old_verify_keys, { [OLD.keyId]: { key: OLD.publicKeyBase64, expired_ts: 1_600_000_000_000 } });
  const parsed = parseServerKeys(json, String(json.server_name));
  assert.equal(parsed.ok, true, parsed.ok ? '' : parsed.reason);
});
