/** Membership `invite`, plain and completing a third-party invite, in every room version. */
import { generateKeyPairSync, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { encodeBase64 } from '../base64.js';
import { canonicalJson } from '../canonical-json.js';
import type { JsonObject } from '../json.js';
import type { AuthScenario } from './test-auth-scenarios.js';
import { allowedBy, deniedBy, runAuthScenarios } from './test-auth-scenarios.js';
import type { TestRoom } from './test-events.js';
import { ALICE, BOB, CAROL, EVE, MOD } from './test-events.js';

const I = 'm.room.member/invite';
const T = `${I}/third_party`;
const ZED = '@zed:z.example';

function keyPair(): { publicKey: string; publicKeyUrlSafe: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { publicKey: encodeBase64(raw), publicKeyUrlSafe: raw.toString('base64url'), privateKey };
}

const idServer = keyPair();
const otherKey = keyPair();

/** A `signed` block for `mxid`/`token`, signed by the identity server key `key`. */
function signedBlock(mxid: string, token: string, key: KeyObject = idServer.privateKey): JsonObject {
  const payload = { mxid, token, sender: ALICE };
  const sig = encodeBase64(sign(null, Buffer.from(canonicalJson(payload), 'utf8'), key));
  return { ...payload, signatures: { 'id.example': { 'ed25519:0': sig } } };
}

/** Puts ALICE's `m.room.third_party_invite` for token `tok` into the state. */
function putThirdPartyInvite(r: TestRoom, keys: JsonObject = { public_key: idServer.publicKey }) {
  r.put(
    r.event({
      type: 'm.room.third_party_invite',
      sender: ALICE,
      stateKey: 'tok',
      content: { display_name: 'c…@example.org', key_validity_url: 'https://id.example/isvalid', ...keys },
    }),
  );
}

/** `sender` invites `target` completing a third-party invite with `tpi` as `third_party_invite`. */
function tpInvite(r: TestRoom, tpi: JsonObject | string, target = CAROL, sender = ALICE) {
  return r.memberEvent(target, 'invite', { sender, content: { third_party_invite: tpi } });
}

const plain: AuthScenario[] = [
  {
    name: 'the creator invites a new user',
    build: (r) => r.memberEvent(CAROL, 'invite', { sender: ALICE }),
    expect: allowedBy(`${I}/allow`),
  },
  {
    name: 'a default-power member invites (invite level defaults to 0)',
    build: (r) => r.memberEvent(CAROL, 'invite', { sender: BOB }),
    expect: allowedBy(`${I}/allow`),
  },
  {
    name: 'below a raised invite level → reject',
    build: (r) => {
      r.setPowerLevels({ users: { [MOD]: 50 }, invite: 50 });
      return r.memberEvent(CAROL, 'invite', { sender: BOB });
    },
    expect: deniedBy(`${I}/power`),
  },
  {
    name: 'at a raised invite level → allow',
    build: (r) => {
      r.setPowerLevels({ users: { [MOD]: 50 }, invite: 50 });
      return r.memberEvent(CAROL, 'invite', { sender: MOD });
    },
    expect: allowedBy(`${I}/allow`),
  },
  {
    name: 'v12: the creator needs no entry to reach any invite level',
    only: (rv) => rv.privilegedCreators,
    build: (r) => {
      r.setPowerLevels({ users: { [MOD]: 50 }, invite: 9007199254740991 });
      return r.memberEvent(CAROL, 'invite', { sender: ALICE });
    },
    expect: allowedBy(`${I}/allow`),
  },
  {
    name: 'a non-member cannot invite',
    build: (r) => r.memberEvent(ZED, 'invite', { sender: CAROL }),
    expect: deniedBy(`${I}/sender_not_joined`),
  },
  {
    name: 'an invited (not joined) user cannot invite',
    build: (r) => {
      r.setMember(CAROL, 'invite', ALICE);
      return r.memberEvent(ZED, 'invite', { sender: CAROL });
    },
    expect: deniedBy(`${I}/sender_not_joined`),
  },
  {
    name: 'a banned user cannot invite',
    build: (r) => r.memberEvent(ZED, 'invite', { sender: EVE }),
    expect: deniedBy(`${I}/sender_not_joined`),
  },
  {
    name: 'inviting a joined user → reject',
    build: (r) => r.memberEvent(BOB, 'invite', { sender: ALICE }),
    expect: deniedBy(`${I}/target_joined_or_banned`),
  },
  {
    name: 'inviting a banned user → reject',
    build: (r) => r.memberEvent(EVE, 'invite', { sender: ALICE }),
    expect: deniedBy(`${I}/target_joined_or_banned`),
  },
  ...(['invite', 'leave', 'knock'] as const).map(
    (m): AuthScenario => ({
      name: `inviting a user whose membership is ${m} → allow`,
      build: (r) => {
        r.setMember(CAROL, m);
        return r.memberEvent(CAROL, 'invite', { sender: MOD });
      },
      expect: allowedBy(`${I}/allow`),
    }),
  ),
  {
    name: 'inviting yourself while joined → reject (already joined)',
    build: (r) => r.memberEvent(BOB, 'invite'),
    expect: deniedBy(`${I}/target_joined_or_banned`),
  },
];

const thirdParty: AuthScenario[] = [
  {
    name: '3pid: a signature by the key in public_key → allow',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { display_name: 'c…', signed: signedBlock(CAROL, 'tok') });
    },
    expect: allowedBy(`${T}/allow`),
  },
  {
    name: '3pid: a signature by a key in public_keys → allow',
    build: (r) => {
      putThirdPartyInvite(r, { public_key: otherKey.publicKey, public_keys: [{ public_key: 'bad' }, { public_key: idServer.publicKey }] });
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok') });
    },
    expect: allowedBy(`${T}/allow`),
  },
  {
    name: '3pid: a public key in the URL-safe alphabet also works',
    build: (r) => {
      putThirdPartyInvite(r, { public_key: idServer.publicKeyUrlSafe });
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok') });
    },
    expect: allowedBy(`${T}/allow`),
  },
  {
    name: '3pid: signed by a key the invite does not list → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok', otherKey.privateKey) });
    },
    expect: deniedBy(`${T}/signature`),
  },
  {
    name: '3pid: a signed block altered after signing → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: { ...signedBlock(CAROL, 'tok'), sender: MOD } });
    },
    expect: deniedBy(`${T}/signature`),
  },
  {
    name: '3pid: no signatures in the signed block → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: { mxid: CAROL, token: 'tok' } });
    },
    expect: deniedBy(`${T}/signature`),
  },
  {
    name: '3pid: the invite event has no usable public key → reject',
    build: (r) => {
      putThirdPartyInvite(r, { public_key: 'not base64!', public_keys: 'nope' });
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok') });
    },
    expect: deniedBy(`${T}/signature`),
  },
  {
    name: '3pid: the target is banned → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(EVE, 'tok') }, EVE);
    },
    expect: deniedBy(`${T}/banned`),
  },
  {
    name: '3pid: third_party_invite without signed → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { display_name: 'c…' });
    },
    expect: deniedBy(`${T}/no_signed`),
  },
  {
    name: '3pid: third_party_invite that is not an object → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, 'tok');
    },
    expect: deniedBy(`${T}/no_signed`),
  },
  {
    name: '3pid: signed without token → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      const { token: _t, ...signed } = signedBlock(CAROL, 'tok');
      return tpInvite(r, { signed });
    },
    expect: deniedBy(`${T}/signed_fields`),
  },
  {
    name: '3pid: signed without mxid → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      const { mxid: _m, ...signed } = signedBlock(CAROL, 'tok');
      return tpInvite(r, { signed });
    },
    expect: deniedBy(`${T}/signed_fields`),
  },
  {
    name: '3pid: mxid is not the invited user → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(ZED, 'tok') });
    },
    expect: deniedBy(`${T}/mxid_mismatch`),
  },
  {
    name: '3pid: no m.room.third_party_invite for the token → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(CAROL, 'other-token') });
    },
    expect: deniedBy(`${T}/no_invite_event`),
  },
  {
    name: '3pid: someone other than the third-party inviter completes it → reject',
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok') }, CAROL, MOD);
    },
    expect: deniedBy(`${T}/sender_mismatch`),
  },
  {
    name: "3pid: the rule does not look at the sender's own membership (inviter has left)",
    build: (r) => {
      putThirdPartyInvite(r);
      r.setMember(ALICE, 'leave');
      return tpInvite(r, { signed: signedBlock(CAROL, 'tok') });
    },
    expect: allowedBy(`${T}/allow`),
  },
  {
    name: "3pid: the rule does not look at the target's join (only at a ban)",
    build: (r) => {
      putThirdPartyInvite(r);
      return tpInvite(r, { signed: signedBlock(BOB, 'tok') }, BOB);
    },
    expect: allowedBy(`${T}/allow`),
  },
];

runAuthScenarios('auth rules: membership invite', [...plain, ...thirdParty]);
