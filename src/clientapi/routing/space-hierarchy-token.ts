/**
 * The `next_batch`/`from` token of `GET /rooms/{roomId}/hierarchy`: the walk's position (how
 * many visible rooms earlier pages returned, see `space-hierarchy-walk.ts`) together with what
 * the walk depended on — the root, `max_depth` and `suggested_only` — so that a token used with
 * other values is refused, as the spec requires. Opaque to clients: unpadded base64url of JSON.
 */

/** What a hierarchy token carries. */
export interface HierarchyToken {
  readonly rootId: string;
  readonly maxDepth: number;
  readonly suggestedOnly: boolean;
  /** Visible rooms already returned. */
  readonly position: number;
}

/** The token for `t`. */
export function encodeHierarchyToken(t: HierarchyToken): string {
  return Buffer.from(JSON.stringify([t.rootId, t.maxDepth, t.suggestedOnly ? 1 : 0, t.position])).toString('base64url');
}

/** The token's content, or undefined when `token` is not one of ours. */
export function decodeHierarchyToken(token: string): HierarchyToken | undefined {
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
  const [rootId, maxDepth, suggested, position] = parsed as unknown[];
  if (typeof rootId !== 'string' || !isCount(maxDepth) || (suggested !== 0 && suggested !== 1) || !isCount(position)) return undefined;
  return { rootId, maxDepth, suggestedOnly: suggested === 1, position };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}
