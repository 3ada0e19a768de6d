/**
 * The reverse topological power ordering (state resolution v2): Kahn's algorithm over the
 * `auth_events` DAG, earliest events first, choosing among the ready events by sender power
 * (higher first), then `origin_server_ts` (lower first), then event ID (lower first).
 */
import type { RoomEvent } from '../room-event.js';
import { compareCodePoints } from './compare-code-points.js';
import { createMinHeap } from '../../internal/util/min-heap.js';
import type { ResolutionContext } from './resolution-context.js';

interface Node {
  readonly event: RoomEvent;
  readonly power: number;
  /** Auth events of this node still waiting to be emitted. */
  pending: number;
  /** Nodes that list this one among their auth events. */
  readonly dependents: Node[];
}

/**
 * Orders `eventIds` together with the events of their auth chains that are in `fullConflictedSet`.
 * Like Synapse and ruma, the graph follows `auth_events` links only through events of the full
 * conflicted set: an event reachable solely via an event outside it is neither added nor ordered
 * by that path.
 */
export function reverseTopologicalPowerOrder(
  ctx: ResolutionContext,
  eventIds: Iterable<string>,
  fullConflictedSet: ReadonlySet<string>,
): string[] {
  const nodes = buildGraph(ctx, eventIds, fullConflictedSet);
  const ready = createMinHeap<Node>(compareNodes);
  for (const n of nodes.values()) if (n.pending === 0) ready.push(n);
  const out: string[] = [];
  for (let n = ready.pop(); n !== undefined; n = ready.pop()) {
    out.push(n.event.eventId);
    for (const d of n.dependents) {
      d.pending -= 1;
      if (d.pending === 0) ready.push(d);
    }
  }
  if (out.length !== nodes.size) throw new Error('state resolution: the auth events graph has a cycle');
  return out;
}

function buildGraph(
  ctx: ResolutionContext,
  eventIds: Iterable<string>,
  fullConflictedSet: ReadonlySet<string>,
): Map<string, Node> {
  const nodes = new Map<string, Node>();
  const stack: Node[] = [];
  const nodeFor = (id: string): Node => {
    let n = nodes.get(id);
    if (n === undefined) {
      const event = ctx.event(id);
      n = { event, power: ctx.senderPower(event), pending: 0, dependents: [] };
      nodes.set(id, n);
      stack.push(n);
    }
    return n;
  };
  for (const id of eventIds) nodeFor(id);
  for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
    const edges = new Set<string>();
    for (const a of n.event.authEvents) {
      if (!fullConflictedSet.has(a) || edges.has(a) || ctx.maybeEvent(a) === undefined) continue;
      edges.add(a);
      nodeFor(a).dependents.push(n);
      n.pending += 1;
    }
  }
  return nodes;
}

function compareNodes(x: Node, y: Node): number {
  if (x.power !== y.power) return x.power > y.power ? -1 : 1;
  if (x.event.originServerTs !== y.event.originServerTs) {
    return x.event.originServerTs < y.event.originServerTs ? -1 : 1;
  }
  return compareCodePoints(x.event.eventId, y.event.eventId);
}
