/**
 * Orders events so each comes after the events it cites in `auth_events` (among those given):
 * the roomserver checks an outlier against its auth events, which must be stored first. A
 * send_join answer or a fetched state comes in no particular order. Events in a cycle (only a
 * malicious server makes one) come last, in their given order, and fail their auth check.
 */
import { isJsonObject, type JsonObject } from '../../matrix/json.js';

/** An event with its ID, as the caller identified it. */
export interface IdentifiedEvent {
  readonly eventId: string;
  readonly json: JsonObject;
}

/** The events in an order where auth events come first. */
export function orderByAuth(events: readonly IdentifiedEvent[]): IdentifiedEvent[] {
  const byId = new Map(events.map((e) => [e.eventId, e]));
  const placed = new Set<string>();
  const out: IdentifiedEvent[] = [];
  const visiting = new Set<string>();
  // Iterative depth-first walk: an auth chain can be thousands deep (power-level chains).
  // Shallowest first: the create event (depth 1) leads even where nothing cites it (v12 rooms,
  // whose events imply it through the room ID instead of listing it).
  const roots = [...events].sort((a, b) => depthOf(a.json) - depthOf(b.json));
  for (const root of roots) {
    if (placed.has(root.eventId)) continue;
    const stack: { e: IdentifiedEvent; next: number; deps: string[] }[] = [{ e: root, next: 0, deps: authIds(root.json) }];
    visiting.add(root.eventId);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const depId = top.deps[top.next++];
      if (depId === undefined) {
        stack.pop();
        visiting.delete(top.e.eventId);
        if (!placed.has(top.e.eventId)) {
          placed.add(top.e.eventId);
          out.push(top.e);
        }
        continue;
      }
      const dep = byId.get(depId);
      if (!dep || placed.has(depId) || visiting.has(depId)) continue;
      visiting.add(depId);
      stack.push({ e: dep, next: 0, deps: authIds(dep.json) });
    }
  }
  return out;
}

/** The IDs in `auth_events` (plain IDs from v3, `[id, hashes]` pairs before). */
export function authIds(json: JsonObject): string[] {
  const refs = Array.isArray(json.auth_events) ? json.auth_events : [];
  const ids: string[] = [];
  for (const r of refs) {
    if (typeof r === 'string') ids.push(r);
    else if (Array.isArray(r) && typeof r[0] === 'string') ids.push(r[0]);
    else if (isJsonObject(r)) continue;
  }
  return ids;
}

function depthOf(json: JsonObject): number {
  return typeof json.depth === 'number' ? json.depth : Number.MAX_SAFE_INTEGER;
}
