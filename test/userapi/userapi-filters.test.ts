/** The userapi API: `/sync` filters. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { describeUserApi, rejectsWith } from './userapi-test-kit.js';

const uid = (localpart: string) => `@${localpart}:test.local`;

describeUserApi('userapi filters', (api) => {
  const register = (localpart: string) => api().performAccountCreation({ localpart, accountType: 'user', password: 'pw' });

  it('stores a filter and reads it back as canonical JSON', async () => {
    await register('fia');
    const filter = { room: { timeline: { limit: 10, types: ['m.room.message'] }, state: { lazy_load_members: true } }, event_format: 'client' };
    const { filterId } = await api().performFilterCreate({ userId: uid('fia'), filter });
    assert.match(filterId, /^[0-9]+$/);
    const { filter: read } = await api().queryFilter({ userId: uid('fia'), filterId });
    assert.deepEqual(read, filter);
    assert.deepEqual(Object.keys(read!), ['event_format', 'room'], 'keys come back sorted, as stored');
  });

  it('returns the same ID for the same filter, whatever the key order', async () => {
    await register('gil');
    const a = await api().performFilterCreate({ userId: uid('gil'), filter: { presence: { not_types: ['*'] }, room: { include_leave: true } } });
    const b = await api().performFilterCreate({ userId: uid('gil'), filter: { room: { include_leave: true }, presence: { not_types: ['*'] } } });
    const c = await api().performFilterCreate({ userId: uid('gil'), filter: { room: { include_leave: false } } });
    assert.equal(b.filterId, a.filterId);
    assert.notEqual(c.filterId, a.filterId);
  });

  it('keeps unknown keys, floats included', async () => {
    await register('hal');
    const filter = { 'org.example.weight': 0.5, room: { timeline: { 'org.matrix.labels': ['#work'] } } };
    const { filterId } = await api().performFilterCreate({ userId: uid('hal'), filter });
    assert.deepEqual((await api().queryFilter({ userId: uid('hal'), filterId })).filter, filter);
  });

  it("reads null for unknown IDs, another user's filter and remote users", async () => {
    await register('ida');
    await register('jo');
    const { filterId } = await api().performFilterCreate({ userId: uid('ida'), filter: { event_fields: ['type'] } });
    assert.deepEqual(await api().queryFilter({ userId: uid('jo'), filterId }), { filter: null });
    assert.deepEqual(await api().queryFilter({ userId: uid('ida'), filterId: 'nope' }), { filter: null });
    assert.deepEqual(await api().queryFilter({ userId: uid('ida'), filterId: String(Number(filterId) + 500) }), { filter: null });
    assert.deepEqual(await api().queryFilter({ userId: '@ida:elsewhere', filterId }), { filter: null });
    assert.deepEqual(await api().queryFilter({ userId: uid('nobody'), filterId }), { filter: null });
  });

  it('refuses unknown and deactivated users', async () => {
    await rejectsWith(api().performFilterCreate({ userId: uid('ghost'), filter: {} }), 'M_NOT_FOUND');
    await rejectsWith(api().performFilterCreate({ userId: '@kai:elsewhere', filter: {} }), 'M_NOT_FOUND');
    await register('lou');
    await api().performAccountDeactivation({ userId: uid('lou'), erase: false });
    await rejectsWith(api().performFilterCreate({ userId: uid('lou'), filter: {} }), 'M_USER_DEACTIVATED');
  });

  it('refuses a filter that is not a JSON object', async () => {
    await register('max');
    await rejectsWith(api().performFilterCreate({ userId: uid('max'), filter: [] as unknown as Record<string, unknown> }), 'M_BAD_JSON');
  });
});
