/**
 * State keys and event types: any string up to 255 bytes (client-server API "Size limits").
 * What a state key must be for a given type (a user ID for `m.room.member`, the sender for keys
 * starting with `@`) is decided by the auth rules, not here.
 */
import { byteLength, invalid, MAX_ID_BYTES, ok, type IdResult } from './id-result.js';

/** Checks the size limit on a state key. */
export function checkStateKey(stateKey: string): IdResult<string> {
  return byteLength(stateKey) > MAX_ID_BYTES ? invalid(`a state_key is at most ${MAX_ID_BYTES} bytes`) : ok(stateKey);
}

/** Checks the size limit on an event type (and that it is not empty). */
export function checkEventType(type: string): IdResult<string> {
  if (type.length === 0) return invalid('the event type is empty');
  return byteLength(type) > MAX_ID_BYTES ? invalid(`an event type is at most ${MAX_ID_BYTES} bytes`) : ok(type);
}
