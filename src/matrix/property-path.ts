/**
 * Dot-separated property paths (spec appendix "Dot-separated property paths"), as used by the
 * `key` of push conditions: `content.m\.relates_to.rel_type` names `content["m.relates_to"].rel_type`.
 */

/**
 * Splits a path into property names. `\.` is a literal dot and `\\` a literal backslash; any other
 * backslash is kept as is (`\x` stays `\x`), as the spec reserves other escapes for later.
 */
export function splitPropertyPath(path: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    const next = path[i + 1];
    if (c === '\\' && (next === '.' || next === '\\')) {
      current += next;
      i++;
    } else if (c === '.') {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/**
 * The value at `path` inside `root`, or `undefined` when any step is missing or not a JSON object.
 * Only own properties count, so `constructor` or `__proto__` never reach the prototype.
 */
export function lookupProperty(root: unknown, path: readonly string[]): unknown {
  let value = root;
  for (const name of path) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    if (!Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}
