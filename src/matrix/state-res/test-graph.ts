/**
 * Test helper: plays a DAG given as chains of `prev_events` edges, the way the classic state
 * resolution tests (Synapse's `do_check`, ruma's `do_check`) describe scenarios. Each node's state
 * before is the resolution of its prev events' states after; its auth events are selected from
 * that state. Nodes are processed in topological order, ties broken by node ID, and get
 * increasing timestamps in that order. Not used outside tests.
 */
import { stateMapKey, type StateMap } from '../room-event.js';
import type { JsonObject } from '../json.js';
import { selectAuthEvents, type TestDag } from './test-dag.js';

/** One node of a scenario: an event without its DAG links. */
export interface GraphNode {
  /** The node ID, which is also the event ID without `$`. */
  readonly id: string;
  /** The sender's user ID. */
  readonly sender: string;
  /** The event type. */
  readonly type: string;
  /** Omit for a message event. */
  readonly stateKey?: string;
  /** Defaults to `{}`. */
  readonly content?: JsonObject;
}

/**
 * Adds `nodes` to `dag` following `edges` (each chain `[A, B, C]` means A's prev is B, B's is C)
 * and returns the state after each node, by node ID.
 */
export function playGraph(
  dag: TestDag,
  nodes: readonly GraphNode[],
  edges: readonly (readonly string[])[],
  resolve: (stateSets: readonly StateMap[]) => Map<string, string>,
): Map<string, Map<string, string>> {
  const prevs = new Map<string, Set<string>>(nodes.map((n) => [n.id, new Set<string>()]));
  for (const chain of edges) {
    for (let i = 0; i + 1 < chain.length; i++) {
      const from = prevs.get(chain[i] as string);
      if (from === undefined || !prevs.has(chain[i + 1] as string)) {
        throw new Error(`test graph: unknown node in ${chain.join(' → ')}`);
      }
      from.add(chain[i + 1] as string);
    }
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const after = new Map<string, Map<string, string>>();
  for (const id of topologicalOrder(prevs)) {
    const node = byId.get(id) as GraphNode;
    const p = [...(prevs.get(id) as Set<string>)];
    const before =
      p.length === 0
        ? new Map<string, string>()
        : p.length === 1
          ? new Map(after.get(p[0] as string))
          : resolve(p.map((x) => after.get(x) as Map<string, string>));
    dag.add({ ...node, authEvents: selectAuthEvents(dag.roomVersion, node, before), prevEvents: p });
    const state = new Map(before);
    if (node.stateKey !== undefined) state.set(stateMapKey(node.type, node.stateKey), dag.get(id).eventId);
    after.set(id, state);
  }
  return after;
}

/** Kahn's algorithm from the nodes without prev events, smallest node ID first. */
function topologicalOrder(prevs: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const pending = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const [id, ps] of prevs) {
    pending.set(id, ps.size);
    for (const p of ps) next.set(p, [...(next.get(p) ?? []), id]);
  }
  const ready = [...prevs.keys()].filter((id) => pending.get(id) === 0);
  const out: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const id = ready.shift() as string;
    out.push(id);
    for (const n of next.get(id) ?? []) {
      const left = (pending.get(n) as number) - 1;
      pending.set(n, left);
      if (left === 0) ready.push(n);
    }
  }
  if (out.length !== prevs.size) throw new Error('test graph: the edges have a cycle');
  return out;
}
