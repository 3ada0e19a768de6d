import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWellKnownBody, WELL_KNOWN_DEFAULT_TTL_MS, WELL_KNOWN_MAX_TTL_MS, WELL_KNOWN_MIN_TTL_MS, wellKnownTtlMs } from './fetch-well-known.js';

describe('wellKnownTtlMs', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('uses max-age, clamped to [5 min, 48 h]', () => {
    assert.equal(wellKnownTtlMs({ 'cache-control': 'public, max-age=3600' }, now), 3_600_000);
    assert.equal(wellKnownTtlMs({ 'cache-control': 'max-age=10' }, now), WELL_KNOWN_MIN_TTL_MS);
    assert.equal(wellKnownTtlMs({ 'cache-control': 'max-age=999999999' }, now), WELL_KNOWN_MAX_TTL_MS);
  });
  it('treats no-store / no-cache as the minimum', () => {
    assert.equal(wellKnownTtlMs({ 'cache-control': 'no-store' }, now), WELL_KNOWN_MIN_TTL_MS);
  });
  it('uses Expires relative to Date, else to now', () => {
    assert.equal(wellKnownTtlMs({ expires: 'Thu, 01 Jan 2026 02:00:00 GMT', date: 'Thu, 01 Jan 2026 01:00:00 GMT' }, now), 3_600_000);
    assert.equal(wellKnownTtlMs({ expires: 'Thu, 01 Jan 2026 03:00:00 GMT' }, now), 3 * 3_600_000);
  });
  it('defaults to 24 h', () => {
    assert.equal(wellKnownTtlMs({}, now), WELL_KNOWN_DEFAULT_TTL_MS);
    assert.equal(WELL_KNOWN_DEFAULT_TTL_MS, 24 * 3_600_000);
  });
});

describe('parseWellKnownBody', () => {
  it('accepts a valid m.server', () => {
    assert.deepEqual(parseWellKnownBody(Buffer.from('{"m.server":"delegated.example.com:1234"}')), { server: 'delegated.example.com:1234' });
    assert.deepEqual(parseWellKnownBody(Buffer.from('{"m.server":"[::1]"}')), { server: '[::1]' });
  });
  it('rejects bad JSON, missing or invalid m.server', () => {
    assert.match((parseWellKnownBody(Buffer.from('<html>')) as { reason: string }).reason, /not JSON/);
    assert.match((parseWellKnownBody(Buffer.from('[]')) as { reason: string }).reason, /not a JSON object/);
    assert.match((parseWellKnownBody(Buffer.from('{}')) as { reason: string }).reason, /missing/);
    assert.match((parseWellKnownBody(Buffer.from('{"m.server":"bad host:99999"}')) as { reason: string }).reason, /not a server name/);
  });
});
