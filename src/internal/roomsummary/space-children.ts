/**
 * A space's `m.space.child` events as the spec orders and filters them, shared by the client
 * `/hierarchy` walk and the federation `/hierarchy` answer: a child whose `via` is not a
 * non-empty list of strings is not a child, and children are ordered by `order`, then
 * `origin_server_ts`, then room ID.
 */
import type { SpaceChildState } from '../../roomserver/api.js';

/**
 * A space's children as the hierarchy shows them: `m.space.child` events whose `via` is a
 * non-empty list of strings (anything else unlinks the child), only suggested ones when asked,
 * in the spec's order.
 */
export function spaceChildren(states: readonly SpaceChildState[], suggestedOnly: boolean): SpaceChildState[] {
  return states.filter((s) => spaceChildVia(s).length > 0 && (!suggestedOnly || s.content.suggested === true)).sort(compareSpaceChildren);
}

/**
 * The spec's order of space children: those with a valid `order` first, by `order` (code points),
 * then the rest; ties by the event's `origin_server_ts`, then by room ID.
 */
export function compareSpaceChildren(a: SpaceChildState, b: SpaceChildState): number {
  const oa = validOrder(a.content.order);
  const ob = validOrder(b.content.order);
  if (oa !== ob) {
    if (oa === undefined) return 1;
    if (ob === undefined) return -1;
    return compareCodePoints(oa, ob);
  }
  if (a.originServerTs !== b.originServerTs) return a.originServerTs - b.originServerTs;
  return compareCodePoints(a.stateKey, b.stateKey);
}

/** `order` when it is a string of 1–50 characters between `\x20` and `\x7E`, as the spec requires. */
function validOrder(order: unknown): string | undefined {
  return typeof order === 'string' && /^[\x20-\x7E]{1,50}$/.test(order) ? order : undefined;
}

/** The `via` servers of a child event, or none when `via` is not a list of strings. */
export function spaceChildVia(s: SpaceChildState): string[] {
  const via = s.content.via;
  return Array.isArray(via) && via.every((v): v is string => typeof v === 'string') ? via : [];
}

/** Compares by Unicode code point (JavaScript's `<` compares UTF-16 units, which differs above U+FFFF). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done || cb.done) return ca.done && cb.done ? 0 : ca.done ? -1 : 1;
    const d = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}
