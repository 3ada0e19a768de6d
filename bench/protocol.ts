/**
 * `npm run bench -- protocol`: the protocol core's hot paths — canonical JSON, signing,
 * verification and hashing of a realistic message event, and state resolution v2 of two forks of
 * a 10,000-member room with 1,000 conflicts. Last line: one JSON object with the figures.
 */
import { benchCrypto } from './protocol-crypto.js';
import { benchStateRes } from './protocol-state-res.js';

const crypto = await benchCrypto();
const stateRes = await benchStateRes();
console.log(JSON.stringify({ ...crypto, ...stateRes }));
