/** What the key and version routes need. */
import type { KeyRing } from '../keyring/key-ring.js';
import type { OurKeys } from '../keyring/our-server-keys.js';

export interface KeyRoutesDeps {
  readonly serverName: string;
  /** Our keys: published by `/server`, and the current ones sign notary answers. */
  readonly ourKeys: OurKeys;
  readonly keyRing: KeyRing;
  readonly now: () => number;
}
