import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from '../../matrix/json.js';
import type { SpaceChildState } from '../../roomserver/api.js';
import { compareSpaceChildren, spaceChildren, walkSpaceHierarchy, type ChildRef, type HierarchyRoom, type WalkOptions } from './space-hierarchy-walk.js';

const child = (stateKey: string, originServerTs: number, content: JsonObject = { via: ['example.org'] }): SpaceChildState => ({
  stateKey,
  sender: '@alice:example.org',
  originServerTs,
  content,
});

/** A tree for the walk: room ID → its children (suggested when the ID ends with `*`), hidden rooms. */
function world(tree: Record<string, readonly string[]>, hidden: readonly string[] = []) {
  const loads: string[][] = [];
  const rooms = new Map<string, HierarchyRoom>();
  for (const [roomId, kids] of Object.entries(tree)) {
    const childrenState = kids.map((k, i) => {
      const id = k.replace(/\*$/, '');
      return child(id, 1000 + i, { via: ['example.org'], ...(k.endsWith('*') ? { suggested: true } : {}) });
    });
    rooms.set(roomId, { roomId, visible: !hidden.includes(roomId), childrenState });
  }
  const load = async (refs: readonly ChildRef[]): Promise<ReadonlyMap<string, HierarchyRoom>> => {
    loads.push(refs.map((r) => r.roomId));
    return new Map(refs.flatMap((r) => (rooms.has(r.roomId) ? [[r.roomId, rooms.get(r.roomId)!] as const] : [])));
  };
  return { load, loads };
}

type Opts = Partial<Omit<WalkOptions<HierarchyRoom>, 'load'>>;
async function walk(w: ReturnType<typeof world>, opts: Opts = {}) {
  const page = await walkSpaceHierarchy({ rootId: '!root', maxDepth: 50, suggestedOnly: false, skip: 0, limit: 100, load: w.load, ...opts });
  assert.ok(page.rootVisible);
  return { ids: page.rooms.map((r) => r.room.roomId), next: page.next, page };
}

describe('ordering of space children', () => {
  it('orders the spec example: valid orders first by code point, then by timestamp', () => {
    const events = [
      child('!b:example.org', 1640341000000, { order: ' ', via: ['example.org'] }),
      child('!a:example.org', 1640141000000, { order: 'aaaa', via: ['example.org'] }),
      child('!c:example.org', 1640841000000, { order: 'first', via: ['example.org'] }),
      child('!e:example.org', 1640641000000),
      child('!d:example.org', 1640741000000),
    ];
    assert.deepEqual(spaceChildren(events, false).map((e) => e.stateKey), ['!b:example.org', '!a:example.org', '!c:example.org', '!e:example.org', '!d:example.org']);
  });

  it('treats invalid orders as absent and breaks ties by timestamp, then room ID', () => {
    const events = [
      child('!long', 1, { order: 'x'.repeat(51), via: ['s'] }),
      child('!tab', 2, { order: 'a\tb', via: ['s'] }),
      child('!number', 3, { order: 5, via: ['s'] }),
      child('!empty', 4, { order: '', via: ['s'] }),
      child('!z-same', 9, { order: 'm', via: ['s'] }),
      child('!y-same', 9, { order: 'm', via: ['s'] }),
      child('!x-earlier', 8, { order: 'm', via: ['s'] }),
      child('!max', 100, { order: 'x'.repeat(50), via: ['s'] }),
    ];
    assert.deepEqual(spaceChildren(events, false).map((e) => e.stateKey), ['!x-earlier', '!y-same', '!z-same', '!max', '!long', '!tab', '!number', '!empty']);
  });

  it('compares room IDs by code point, not UTF-16 unit', () => {
    // U+FF5E is one unit above the surrogates' range start; U+1F600 is a surrogate pair (0xD83D …).
    const astral = child('!\u{1F600}', 1);
    const bmp = child('!\uFF5E', 1);
    assert.ok(compareSpaceChildren(bmp, astral) < 0);
    assert.ok(compareSpaceChildren(astral, bmp) > 0);
    assert.equal(compareSpaceChildren(bmp, bmp), 0);
  });

  it('drops children without a valid via and keeps only suggested ones when asked', () => {
    const events = [
      child('!ok', 1),
      child('!suggested', 2, { via: ['s'], suggested: true }),
      child('!no-via', 3, {}),
      child('!empty-via', 4, { via: [] }),
      child('!bad-via', 5, { via: ['s', 5] }),
      child('!string-via', 6, { via: 's' }),
      child('!suggested-string', 7, { via: ['s'], suggested: 'true' }),
    ];
    assert.deepEqual(spaceChildren(events, false).map((e) => e.stateKey), ['!ok', '!suggested', '!suggested-string']);
    assert.deepEqual(spaceChildren(events, true).map((e) => e.stateKey), ['!suggested']);
  });
});

describe('walkSpaceHierarchy', () => {
  const tree = {
    '!root': ['!A', '!B*', '!C*'],
    '!A': ['!A1', '!A2*'],
    '!A1': [],
    '!A2': ['!A2x'],
    '!A2x': [],
    '!B': [],
    '!C': ['!C1*', '!C2'],
    '!C1': [],
    '!C2': [],
  };
  const full = ['!root', '!A', '!A1', '!A2', '!A2x', '!B', '!C', '!C1', '!C2'];

  it('walks depth-first: a subspace before its later siblings', async () => {
    const { ids, next, page } = await walk(world(tree));
    assert.deepEqual(ids, full);
    assert.equal(next, undefined);
    assert.ok(page.rootVisible);
    assert.deepEqual(page.rooms[0]!.children.map((c) => c.stateKey), ['!A', '!B', '!C']);
    assert.deepEqual(page.rooms[2]!.children, []);
  });

  it('stops at max_depth', async () => {
    assert.deepEqual((await walk(world(tree), { maxDepth: 0 })).ids, ['!root']);
    assert.deepEqual((await walk(world(tree), { maxDepth: 1 })).ids, ['!root', '!A', '!B', '!C']);
    const two = await walk(world(tree), { maxDepth: 2 });
    assert.deepEqual(two.ids, ['!root', '!A', '!A1', '!A2', '!B', '!C', '!C1', '!C2']);
    // A room at the depth limit still shows its children, only they are not walked into.
    assert.deepEqual(two.page.rootVisible && two.page.rooms[3]!.children.map((c) => c.stateKey), ['!A2x']);
  });

  it('follows only suggested children with suggested_only, and shows only those', async () => {
    const { ids, page } = await walk(world(tree), { suggestedOnly: true });
    assert.deepEqual(ids, ['!root', '!B', '!C', '!C1']);
    assert.deepEqual(page.rootVisible && page.rooms[0]!.children.map((c) => c.stateKey), ['!B', '!C']);
  });

  it('visits each room once through loops and shared children', async () => {
    const w = world({ '!root': ['!A', '!B'], '!A': ['!root', '!A', '!shared'], '!B': ['!shared', '!A'], '!shared': ['!B'] });
    assert.deepEqual((await walk(w)).ids, ['!root', '!A', '!shared', '!B']);
    assert.deepEqual(w.loads.flat().sort(), ['!A', '!B', '!root', '!shared'], 'each room loaded once');
  });

  it('skips hidden and unknown children and does not walk into them', async () => {
    const w = world({ '!root': ['!hidden', '!unknown', '!ok'], '!hidden': ['!behind'], '!behind': [], '!ok': [] }, ['!hidden']);
    assert.deepEqual((await walk(w)).ids, ['!root', '!ok']);
    assert.equal(w.loads.flat().includes('!behind'), false);
  });

  it('reports a hidden or unknown root', async () => {
    const w = world({ '!root': ['!A'], '!A': [] }, ['!root']);
    const base = { maxDepth: 5, suggestedOnly: false, skip: 0, limit: 10 };
    assert.deepEqual(await walkSpaceHierarchy({ ...base, rootId: '!root', load: w.load }), { rootVisible: false });
    assert.deepEqual(await walkSpaceHierarchy({ ...base, rootId: '!nowhere', load: w.load }), { rootVisible: false });
  });

  it('paginates: pages of any size together return the whole walk once', async () => {
    for (const limit of [1, 2, 3, 4, 8, 9]) {
      const seen: string[] = [];
      let skip = 0;
      let pages = 0;
      for (;;) {
        const { ids, next } = await walk(world(tree), { limit, skip });
        pages++;
        assert.ok(ids.length <= limit);
        seen.push(...ids);
        if (next === undefined) break;
        assert.equal(next, seen.length);
        skip = next;
      }
      assert.deepEqual(seen, full, `limit ${limit}`);
      assert.equal(pages, Math.ceil(full.length / limit), `limit ${limit}`);
    }
  });

  it('offers no further page when only rooms already walked remain', async () => {
    // After !A the stack holds !root's second link to !A, already walked.
    const w = world({ '!root': ['!A', '!A'], '!A': [] });
    assert.deepEqual(await walk(w, { limit: 2 }).then((r) => [r.ids, r.next]), [['!root', '!A'], undefined]);
  });

  it('looks past hidden and unknown rooms before offering another page', async () => {
    const w = world({ '!root': ['!A', '!hidden', '!unknown'], '!A': [], '!hidden': [] }, ['!hidden']);
    const only = await walk(w, { limit: 2 });
    assert.deepEqual([only.ids, only.next], [['!root', '!A'], undefined]);

    const more = world({ '!root': ['!A', '!hidden', '!unknown', '!B'], '!A': [], '!hidden': [], '!B': [] }, ['!hidden']);
    const first = await walk(more, { limit: 2 });
    assert.deepEqual([first.ids, first.next], [['!root', '!A'], 2]);
    const second = await walk(more, { limit: 2, skip: 2 });
    assert.deepEqual([second.ids, second.next], [['!B'], undefined]);
  });

  it('loads siblings in one batch, no more than the page needs', async () => {
    const kids = Array.from({ length: 10 }, (_, i) => `!k${i}`);
    const flat = Object.fromEntries([['!root', kids], ...kids.map((k) => [k, []])]) as Record<string, string[]>;
    const w = world(flat);
    assert.equal((await walk(w)).ids.length, 11);
    assert.deepEqual(w.loads, [['!root'], kids]);

    const small = world(flat);
    assert.deepEqual((await walk(small, { limit: 4 })).ids, ['!root', '!k0', '!k1', '!k2']);
    // The last load finds the room that starts the next page.
    assert.deepEqual(small.loads, [['!root'], ['!k0', '!k1', '!k2'], ['!k3']]);

    const later = world(flat);
    assert.deepEqual((await walk(later, { limit: 2, skip: 4 })).ids, ['!k3', '!k4']);
    assert.deepEqual(later.loads, [['!root'], ['!k0', '!k1', '!k2', '!k3', '!k4'], ['!k5']]);
  });

  it('passes the via of each child to load', async () => {
    const refs: ChildRef[] = [];
    await walkSpaceHierarchy({
      rootId: '!root',
      maxDepth: 1,
      suggestedOnly: false,
      skip: 0,
      limit: 10,
      load: async (r) => {
        refs.push(...r);
        return new Map([['!root', { roomId: '!root', visible: true, childrenState: [child('!far:remote', 1, { via: ['remote', 'other'] })] }]]);
      },
    });
    assert.deepEqual(refs, [
      { roomId: '!root', via: [] },
      { roomId: '!far:remote', via: ['remote', 'other'] },
    ]);
  });
});
