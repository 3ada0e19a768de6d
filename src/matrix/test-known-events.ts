/**
 * Events with known hashes, IDs and signatures, shared by the protocol-core tests.
 * Facts only: the spec appendix's test vectors, and a real v3+ create event from jki.re whose
 * v3 and v4 event IDs are published in gomatrixserverlib's tests.
 */
import { decodeBase64 } from './base64.js';
import type { JsonObject } from './json.js';
import { signingKeyFromSeed } from './signing-key.js';

/** The spec appendix key: seed `YJDBA9…XA1`, server `domain`, key ID `ed25519:1`. */
export const specKey = signingKeyFromSeed(decodeBase64('YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA1'), '1');

/** Spec appendix "Event Signing": the minimally-sized event, before signing. */
export const specMinimalEvent: JsonObject = {
  room_id: '!x:domain',
  sender: '@a:domain',
  origin: 'domain',
  origin_server_ts: 1000000,
  signatures: {},
  hashes: {},
  type: 'X',
  content: {},
  prev_events: [],
  auth_events: [],
  depth: 3,
  unsigned: { age_ts: 1000000 },
};

/** …and what the spec says signing it must produce. */
export const specMinimalEventSigned: JsonObject = {
  auth_events: [],
  content: {},
  depth: 3,
  hashes: { sha256: '5jM4wQpv6lnBo7CLIghJuHdW+s2CMBJPUOGOC89ncos' },
  origin: 'domain',
  origin_server_ts: 1000000,
  prev_events: [],
  room_id: '!x:domain',
  sender: '@a:domain',
  signatures: {
    domain: { 'ed25519:1': 'KxwGjPSDEtvnFgU00fwFz+l6d2pJM6XBIaMEn81SXPTRl16AqLAYqfIReFGZlHi5KLjAWbOoMszkwsQma+lYAg' },
  },
  type: 'X',
  unsigned: { age_ts: 1000000 },
};

/** Spec appendix "Event Signing": the event with redactable content, before signing. */
export const specRedactableEvent: JsonObject = {
  content: { body: 'Here is the message content' },
  event_id: '$0:domain',
  origin: 'domain',
  origin_server_ts: 1000000,
  type: 'm.room.message',
  room_id: '!r:domain',
  sender: '@u:domain',
  signatures: {},
  unsigned: { age_ts: 1000000 },
};

/** …and its expected hash and signature. */
export const specRedactableEventSigned: JsonObject = {
  ...specRedactableEvent,
  hashes: { sha256: 'onLKD1bGljeBWQhWZ1kaP9SorVmRQNdN5aM2JYU2n/g' },
  signatures: {
    domain: { 'ed25519:1': 'Wm+VzmOUOz08Ds+0NTWb1d4CZrVsJSikkeRxh6aCcUwu6pNC78FunoD7KNWzqFn241eYHYMGCA5McEiVPdhzBA' },
  },
};

/** A real `m.room.create` from jki.re (2019), as served over federation. */
export const jkiCreateEvent: JsonObject = {
  auth_events: [],
  prev_events: [],
  type: 'm.room.create',
  room_id: '!uXDCzlYgCTHtiWCkEx:jki.re',
  sender: '@erikj:jki.re',
  content: {
    room_version: '5',
    predecessor: { room_id: '!gdRMqOrTFdOCYHNwOo:half-shot.uk', event_id: '$LP7ROBc4b+cMc1UE9haIz8q5AK2AIW4eJ90FfKLvyZI' },
    creator: '@erikj:jki.re',
  },
  depth: 1,
  prev_state: [],
  state_key: '',
  origin: 'jki.re',
  origin_server_ts: 1560284621137,
  hashes: { sha256: 'IX6zuNiJpJPNf70BLleL3HSCpjKeq9Uhu7uUpyDjBmc' },
  signatures: {
    'jki.re': {
      'ed25519:auto': 'O4IyFfF2PPtGp5uaDm8t57dZbdh8vc8Q64LgCwvzYRVItAMI0uisfiAFaxkVT7MRpzh6N2QNN5NMRXZKmgPYDA',
    },
  },
  unsigned: { age: 1321650 },
};

/** Its event ID in a v3 room (standard base64) and in a v4+ room (URL-safe). */
export const jkiCreateEventIdV3 = '$RrGxF28UrHLmoASHndYb9Jb/1SFww2ptmtur9INS438';
export const jkiCreateEventIdV4 = '$RrGxF28UrHLmoASHndYb9Jb_1SFww2ptmtur9INS438';

/** jki.re's public key `ed25519:auto`, which signed {@link jkiCreateEvent}. */
export const jkiPublicKey = 'Sr/Vj3FIqyQ2WjJ9fWpUXRdz6fX4oFAjKrDmu198PnI';

/** jki.re's 2016 `/_matrix/key/v2/server` response (it predates `old_verify_keys` content). */
export const jkiServerKeys: JsonObject = {
  old_verify_keys: {},
  server_name: 'jki.re',
  signatures: {
    'jki.re': {
      'ed25519:auto': 'X2t7jN0jaJsiZWp57da9GqmQ874QFbukCMSqc5VclaB+2n4i8LPcZDkD6+fzg4tkfpSsiIDogkY4HWv1cnGhAg',
    },
  },
  tls_fingerprints: [{ sha256: 'Big0aXVWZ/m0oEcHddgP4hTriTEvb4Jx6592W1mB5i4' }],
  valid_until_ts: 1462110302047,
  verify_keys: { 'ed25519:auto': { key: 'Sr/Vj3FIqyQ2WjJ9fWpUXRdz6fX4oFAjKrDmu198PnI' } },
};
