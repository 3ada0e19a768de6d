/** The userapi API: registration tokens, user-interactive-auth sessions and shared-secret nonces. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeUserApi, rejectsWith, T0 } from './userapi-test-kit.js';

const HOUR = 3600_000;

describeUserApi('userapi registration tokens, UIA sessions and nonces', (api, env) => {
  it('creates registration tokens, random or chosen, and validates their limits', async () => {
    const random = (await api().performRegistrationTokenCreate({})).token;
    assert.match(random.token, /^[A-Za-z0-9._~-]{16}$/);
    assert.deepEqual({ ...random, token: '' }, { token: '', usesAllowed: null, pending: 0, completed: 0, expiryTime: null });
    assert.match((await api().performRegistrationTokenCreate({ length: 5 })).token.token, /^[A-Za-z0-9._~-]{5}$/);
    const chosen = await api().performRegistrationTokenCreate({ token: 'abc.DEF~1-_', usesAllowed: 2, expiryTime: T0 + HOUR });
    assert.deepEqual(chosen.token, { token: 'abc.DEF~1-_', usesAllowed: 2, pending: 0, completed: 0, expiryTime: T0 + HOUR });
    await rejectsWith(api().performRegistrationTokenCreate({ token: 'abc.DEF~1-_' }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ token: 'has space' }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ token: 'x'.repeat(65) }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ length: 65 }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ usesAllowed: -1 }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ usesAllowed: 1.5 }), 'M_INVALID_PARAM');
    await rejectsWith(api().performRegistrationTokenCreate({ expiryTime: T0 - 1 }), 'M_INVALID_PARAM');
  });

  it('counts uses: pending while registering, completed after, invalid when used up or expired', async () => {
    await api().performRegistrationTokenCreate({ token: 'two-uses', usesAllowed: 2, expiryTime: T0 + HOUR });
    const valid = async () => (await api().queryRegistrationTokenValidity({ token: 'two-uses' })).valid;
    assert.equal(await valid(), true);
    await api().performRegistrationTokenReserve({ token: 'two-uses' });
    await api().performRegistrationTokenReserve({ token: 'two-uses' });
    assert.equal(await valid(), false, 'both uses are pending');
    await rejectsWith(api().performRegistrationTokenReserve({ token: 'two-uses' }), 'M_FORBIDDEN');
    await api().performRegistrationTokenComplete({ token: 'two-uses' });
    assert.deepEqual((await api().queryRegistrationToken({ token: 'two-uses' })).token, {
      token: 'two-uses',
      usesAllowed: 2,
      pending: 1,
      completed: 1,
      expiryTime: T0 + HOUR,
    });
    const updated = await api().performRegistrationTokenUpdate({ token: 'two-uses', usesAllowed: null });
    assert.equal(updated.token?.usesAllowed, null);
    assert.equal(await valid(), true);
    env.clock.now = T0 + HOUR;
    assert.equal(await valid(), false, 'expired');
    await rejectsWith(api().performRegistrationTokenReserve({ token: 'two-uses' }), 'M_FORBIDDEN');
    await rejectsWith(api().performRegistrationTokenReserve({ token: 'missing' }), 'M_FORBIDDEN');
    assert.deepEqual(await api().queryRegistrationTokenValidity({ token: 'missing' }), { valid: false });
    assert.deepEqual(await api().performRegistrationTokenUpdate({ token: 'missing', usesAllowed: 1 }), { token: null });
    await rejectsWith(api().performRegistrationTokenUpdate({ token: 'two-uses', expiryTime: T0 }), 'M_INVALID_PARAM');
    env.clock.now = T0;
  });

  it('lists, filters and deletes registration tokens', async () => {
    await api().performRegistrationTokenCreate({ token: 'list-valid' });
    await api().performRegistrationTokenCreate({ token: 'list-used', usesAllowed: 0 });
    const names = (r: { tokens: readonly { token: string }[] }) => r.tokens.map((t) => t.token).filter((t) => t.startsWith('list-'));
    assert.deepEqual(names(await api().queryRegistrationTokens({})), ['list-used', 'list-valid']);
    assert.deepEqual(names(await api().queryRegistrationTokens({ valid: true })), ['list-valid']);
    assert.deepEqual(names(await api().queryRegistrationTokens({ valid: false })), ['list-used']);
    assert.deepEqual(await api().performRegistrationTokenDelete({ token: 'list-used' }), { found: true });
    assert.deepEqual(await api().performRegistrationTokenDelete({ token: 'list-used' }), { found: false });
    assert.deepEqual(await api().queryRegistrationToken({ token: 'list-used' }), { token: null });
  });

  it('keeps UIA sessions: stages, merged params, expiry after 30 minutes', async () => {
    const created = (await api().performUiaSessionUpdate({ params: { username: 'sam' } })).session;
    assert.ok(created);
    assert.match(created.sessionId, /^[A-Za-z]{24}$/);
    assert.deepEqual({ ...created, sessionId: '' }, { sessionId: '', completed: [], params: { username: 'sam' }, createdTs: T0 });
    const id = created.sessionId;
    await api().performUiaSessionUpdate({ sessionId: id, completedStage: 'm.login.dummy' });
    await api().performUiaSessionUpdate({ sessionId: id, completedStage: 'm.login.dummy', params: { password_set: true } });
    env.clock.now = T0 + 30 * 60_000 - 1;
    assert.deepEqual(await api().queryUiaSession({ sessionId: id }), {
      session: { sessionId: id, completed: ['m.login.dummy'], params: { username: 'sam', password_set: true }, createdTs: T0 },
    });
    env.clock.now = T0 + 30 * 60_000;
    assert.deepEqual(await api().queryUiaSession({ sessionId: id }), { session: null });
    assert.deepEqual(await api().performUiaSessionUpdate({ sessionId: id, completedStage: 'm.login.terms' }), { session: null });
    env.clock.now = T0;
    await api().performUiaSessionDelete({ sessionId: id });
    assert.deepEqual(await api().queryUiaSession({ sessionId: id }), { session: null });
    assert.deepEqual(await api().queryUiaSession({ sessionId: 'unknown' }), { session: null });
  });

  it('gives back a token use held by an abandoned registration', async () => {
    await api().performRegistrationTokenCreate({ token: 'held-once', usesAllowed: 1 });
    const abandoned = (await api().performUiaSessionUpdate({})).session?.sessionId ?? '';
    await api().performRegistrationTokenReserve({ token: 'held-once', sessionId: abandoned });
    await api().performRegistrationTokenReserve({ token: 'held-once', sessionId: abandoned }); // a retried stage
    assert.deepEqual(await api().queryRegistrationTokenValidity({ token: 'held-once' }), { valid: false });
    await api().performUiaSessionDelete({ sessionId: abandoned });
    assert.deepEqual(await api().queryRegistrationTokenValidity({ token: 'held-once' }), { valid: true });

    const done = (await api().performUiaSessionUpdate({})).session?.sessionId ?? '';
    await api().performRegistrationTokenReserve({ token: 'held-once', sessionId: done });
    await api().performRegistrationTokenComplete({ token: 'held-once', sessionId: done });
    await api().performUiaSessionDelete({ sessionId: done });
    assert.deepEqual((await api().queryRegistrationToken({ token: 'held-once' })).token, {
      token: 'held-once',
      usesAllowed: 1,
      pending: 0,
      completed: 1,
      expiryTime: null,
    });
    await rejectsWith(api().performRegistrationTokenReserve({ token: 'held-once', sessionId: 'unknown' }), 'M_NOT_FOUND');
  });

  it('uses shared-secret nonces once, within their lifetime', async () => {
    const { nonce } = await api().performSharedSecretNonce({ lifetimeMs: 60_000 });
    assert.match(nonce, /^[0-9a-f]{32}$/);
    assert.deepEqual(await api().performSharedSecretNonceUse({ nonce }), { ok: true });
    assert.deepEqual(await api().performSharedSecretNonceUse({ nonce }), { ok: false });
    const late = (await api().performSharedSecretNonce({ lifetimeMs: 60_000 })).nonce;
    env.clock.now = T0 + 60_000;
    assert.deepEqual(await api().performSharedSecretNonceUse({ nonce: late }), { ok: false });
    env.clock.now = T0;
    assert.deepEqual(await api().performSharedSecretNonceUse({ nonce: 'never issued' }), { ok: false });
    await rejectsWith(api().performSharedSecretNonce({ lifetimeMs: -5 }), 'M_INVALID_PARAM');
  });
});
