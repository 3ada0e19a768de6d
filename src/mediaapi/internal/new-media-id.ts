/** Media IDs: 24 random URL-safe characters, within the spec's `[A-Za-z0-9_-]` for media IDs. */
import { randomBytes } from 'node:crypto';

export function newMediaId(): string {
  return randomBytes(18).toString('base64url');
}
