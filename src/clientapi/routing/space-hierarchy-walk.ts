/**
 * The walk behind `GET /rooms/{roomId}/hierarchy`, free of I/O: depth-first from the root (the
 * spec: a space's subspaces are walked into before its later siblings), children in the spec's
 * order, each room once (loops are broken by never visiting a room twice), hidden and unknown
 * rooms neither returned nor walked into.
 *
 * Pages are cut by position: a later page walks again from the root and skips the rooms earlier
 * pages returned. That keeps the pagination token a few bytes, whatever the size of the space,
 * and lets any clientapi instance serve the next page; the price is re-reading the rooms before
 * the page, which the spec's advice to cap `limit` and `max_depth` keeps bounded. If the space
 * changes between two pages, a room may be repeated or skipped, as with the room directory.
 */
import { spaceChildren, spaceChildVia } from '../../internal/roomsummary/space-children.js';
import type { SpaceChildState } from '../../roomserver/api.js';

export { compareSpaceChildren, spaceChildren } from '../../internal/roomsummary/space-children.js';

/** A room as the walk needs it; callers extend it with what they want back. */
export interface HierarchyRoom {
  readonly roomId: string;
  /** Whether the requester may see it: hidden rooms are neither returned nor walked into. */
  readonly visible: boolean;
  /** Its `m.space.child` events, in any order, invalid ones included (the walk drops them). */
  readonly childrenState: readonly SpaceChildState[];
}

/** A child to look up: its room ID and the servers its `m.space.child` event names. */
export interface ChildRef {
  readonly roomId: string;
  readonly via: readonly string[];
}

export interface WalkOptions<R extends HierarchyRoom> {
  readonly rootId: string;
  /** Children of rooms at this depth (the root is 0) are not walked into. */
  readonly maxDepth: number;
  /** Only follow children whose `m.space.child` event says `suggested: true`. */
  readonly suggestedOnly: boolean;
  /** Visible rooms returned by earlier pages, skipped (0 for the first page). */
  readonly skip: number;
  /** Rooms in this page; at least 1. */
  readonly limit: number;
  /** The rooms asked that are known, by room ID; rooms left out are unknown and left out of the walk. */
  load(refs: readonly ChildRef[]): Promise<ReadonlyMap<string, R>>;
}

/** A room of a page with its children, as the response shows them (valid, ordered, filtered). */
export interface WalkedRoom<R> {
  readonly room: R;
  readonly children: readonly SpaceChildState[];
}

export type WalkPage<R> =
  | { readonly rootVisible: false }
  | {
      readonly rootVisible: true;
      readonly rooms: readonly WalkedRoom<R>[];
      /** The `skip` of the next page; absent when no further room is there to show. */
      readonly next?: number;
    };

/** Rooms loaded at once, at most: the next rooms on the stack are usually the ones needed next. */
const MAX_BATCH = 50;

interface StackEntry extends ChildRef {
  readonly depth: number;
}

/** One page of the hierarchy under `rootId`. */
export async function walkSpaceHierarchy<R extends HierarchyRoom>(opts: WalkOptions<R>): Promise<WalkPage<R>> {
  // The next room is last: children are pushed in reverse so that the first child pops first.
  const stack: StackEntry[] = [{ roomId: opts.rootId, via: [], depth: 0 }];
  const seen = new Set<string>();
  const loaded = new Map<string, R | undefined>();
  const rooms: WalkedRoom<R>[] = [];
  let position = 0;
  while (stack.length > 0) {
    const entry = stack.pop()!;
    if (seen.has(entry.roomId)) continue;
    if (!loaded.has(entry.roomId)) await loadBatch(opts, entry, stack, seen, loaded, Math.max(1, opts.skip + opts.limit - position));
    const room = loaded.get(entry.roomId);
    if (!room?.visible) {
      if (entry.depth === 0) return { rootVisible: false };
      seen.add(entry.roomId);
      continue;
    }
    // The page is full and another room is there to show: it starts the next page. Looking this
    // far (past hidden and unknown rooms) spares clients a last, empty page.
    if (rooms.length === opts.limit) {
      stack.push(entry);
      break;
    }
    seen.add(entry.roomId);
    const children = spaceChildren(room.childrenState, opts.suggestedOnly);
    if (position >= opts.skip) rooms.push({ room, children });
    position++;
    if (entry.depth >= opts.maxDepth) continue;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (!seen.has(child.stateKey)) stack.push({ roomId: child.stateKey, via: spaceChildVia(child), depth: entry.depth + 1 });
    }
  }
  return { rootVisible: true, rooms, ...(stack.length > 0 ? { next: position } : {}) };
}

/** Loads `entry` and the rooms about to be popped after it, up to `wanted` (and {@link MAX_BATCH}). */
async function loadBatch<R extends HierarchyRoom>(
  opts: WalkOptions<R>,
  entry: StackEntry,
  stack: readonly StackEntry[],
  seen: ReadonlySet<string>,
  loaded: Map<string, R | undefined>,
  wanted: number,
): Promise<void> {
  const batch = new Map<string, ChildRef>([[entry.roomId, entry]]);
  const size = Math.min(wanted, MAX_BATCH);
  for (let i = stack.length - 1; i >= 0 && batch.size < size; i--) {
    const e = stack[i]!;
    if (!seen.has(e.roomId) && !loaded.has(e.roomId)) batch.set(e.roomId, e);
  }
  const found = await opts.load([...batch.values()].map(({ roomId, via }) => ({ roomId, via })));
  for (const id of batch.keys()) loaded.set(id, found.get(id));
}
