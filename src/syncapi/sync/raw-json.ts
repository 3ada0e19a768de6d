/**
 * Stored events are JSON text; a sync response splices that text in as it is instead of parsing
 * it and serialising it again (DESIGN §10). A response is built as plain data with
 * {@link RawJson} leaves and written by {@link stringifyWithRaw}.
 */
const RAW = Symbol('raw-json');

/** JSON text to be written as it is. */
export interface RawJson {
  readonly [RAW]: string;
}

/** Wraps JSON text the caller guarantees is valid (it came from our own storage). */
export function rawJson(text: string): RawJson {
  return { [RAW]: text };
}

/** Whether `v` is a {@link RawJson}. */
export function isRawJson(v: unknown): v is RawJson {
  return typeof v === 'object' && v !== null && RAW in v;
}

/** The JSON text of a {@link RawJson} or of a plain value (for tests and the rare rewrite). */
export function rawText(v: RawJson): string {
  return v[RAW];
}

/**
 * `JSON.stringify(value)` with every {@link RawJson} written as its text. No placeholders are
 * substituted afterwards, so no string inside the data can be mistaken for one.
 */
export function stringifyWithRaw(value: unknown): string {
  if (isRawJson(value)) return value[RAW];
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : stringifyWithRaw(v))).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      parts.push(`${JSON.stringify(k)}:${stringifyWithRaw(v)}`);
    }
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
