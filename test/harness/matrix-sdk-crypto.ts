/**
 * matrix-js-sdk clients with end-to-end encryption (the SDK's Rust crypto, in memory) for the
 * E2EE end-to-end suites: start a syncing crypto client, wait until an event decrypts, bootstrap
 * cross-signing through the password UIA stage, and set up secret storage with a key backup
 * protected by a recovery key. Everything the SDK learns about keys comes from our server alone
 * (`/keys/*`, `/sendToDevice`, `/room_keys/*`, account data, sync), so a shape it cannot read
 * shows up here as a decryption that never happens.
 */
import './matrix-sdk-polyfills.js';
import assert from 'node:assert/strict';
import {
  ClientEvent,
  EventType,
  MatrixError,
  MsgType,
  SyncState,
  type AuthDict,
  type MatrixClient,
  type MatrixEvent,
  type UIAuthCallback,
} from 'matrix-js-sdk';
import {
  CryptoEvent,
  decodeRecoveryKey,
  VerificationPhase,
  VerificationRequestEvent,
  VerifierEvent,
  type CryptoApi,
  type GeneratedSecretStorageKey,
  type VerificationRequest,
} from 'matrix-js-sdk/lib/crypto-api/index.js';
import { createSdkClient } from './matrix-sdk-client.js';

/** A logged-in device: what a client needs to act as it. */
export interface SdkCredentials {
  readonly userId: string;
  readonly deviceId: string;
  readonly accessToken: string;
  /** The account's password, for the UIA password stage. */
  readonly password: string;
}

/** A running crypto client with its credentials. */
export interface CryptoClient {
  readonly client: MatrixClient;
  readonly creds: SdkCredentials;
  /** The client's crypto API (always present: Rust crypto was initialised). */
  readonly crypto: CryptoApi;
}

/** Options of {@link startCryptoClient}. */
export interface StartCryptoClientOptions {
  /**
   * The secret-storage recovery key (as `encodeRecoveryKey` prints it) the client answers with when
   * the SDK asks for the secret storage key, as a user typing it in would.
   */
  readonly recoveryKey?: string;
}

/**
 * A crypto-enabled client for `creds` on `baseUrl`: Rust crypto in memory, its sync loop started
 * and its first sync done (so its device keys are uploaded before anyone asks for them).
 */
export async function startCryptoClient(baseUrl: string, creds: SdkCredentials, opts: StartCryptoClientOptions = {}): Promise<CryptoClient> {
  const client = createSdkClient(baseUrl, {
    userId: creds.userId,
    deviceId: creds.deviceId,
    accessToken: creds.accessToken,
    cryptoCallbacks: {
      getSecretStorageKey: async ({ keys }) => {
        if (opts.recoveryKey === undefined) return null;
        const keyId = Object.keys(keys)[0];
        return keyId === undefined ? null : [keyId, decodeRecoveryKey(opts.recoveryKey)];
      },
    },
  });
  await client.initRustCrypto({ useIndexedDB: false });
  await client.startClient({ initialSyncLimit: 20 });
  await waitUntil(client, () => client.getSyncState() === SyncState.Syncing || client.getSyncState() === SyncState.Prepared, 'the first sync');
  return { client, creds, crypto: client.getCrypto()! };
}

/** How long a wait for the other side (a sync, a decryption) may take before the test fails. */
export const E2EE_WAIT_MS = 20_000;

/** Resolves when `check` holds, re-checked after every sync and every 100 ms. */
export function waitUntil(client: MatrixClient, check: () => boolean, what: string, timeoutMs = E2EE_WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (): void => {
      clearTimeout(timer);
      clearInterval(poll);
      client.off(ClientEvent.Sync, onSync);
    };
    const onSync = (): void => {
      if (!check()) return;
      done();
      resolve();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const poll = setInterval(onSync, 100);
    client.on(ClientEvent.Sync, onSync);
    onSync();
  });
}

/**
 * The event `eventId` of `roomId` once the client has it and has decrypted it. A decryption
 * failure is not final (the room key may still arrive by to-device or from a backup), so this
 * keeps waiting and, on timeout, reports the last failure the SDK gave.
 */
export async function waitForDecrypted(client: MatrixClient, roomId: string, eventId: string, timeoutMs = E2EE_WAIT_MS): Promise<MatrixEvent> {
  let last = 'the event never arrived';
  const find = (): MatrixEvent | undefined => client.getRoom(roomId)?.findEventById(eventId);
  try {
    await waitUntil(
      client,
      () => {
        const ev = find();
        if (ev === undefined) return false;
        if (ev.isDecryptionFailure()) last = `decryption failed: ${String(ev.decryptionFailureReason)} (${String(ev.getContent().body)})`;
        else if (!ev.isEncrypted()) last = `the event arrived unencrypted as ${ev.getType()}`;
        else if (ev.isBeingDecrypted()) last = 'still being decrypted';
        else return ev.getClearContent() !== null;
        return false;
      },
      `${eventId} in ${roomId} to decrypt`,
      timeoutMs,
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}; last state: ${last}`, { cause: e });
  }
  return find()!;
}

/** A UIA callback answering the password stage as `creds`' user, the way Element does it. */
export function passwordAuth(creds: SdkCredentials): UIAuthCallback<void> {
  return async (makeRequest) => {
    try {
      // The server may not ask (first upload of cross-signing keys): then this is the whole call.
      await makeRequest(null);
    } catch (e) {
      if (!(e instanceof MatrixError) || e.httpStatus !== 401) throw e;
      const session = typeof e.data.session === 'string' ? e.data.session : undefined;
      const auth: AuthDict = {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: creds.userId },
        password: creds.password,
        ...(session === undefined ? {} : { session }),
      };
      await makeRequest(auth);
    }
  };
}

/** Bootstraps cross-signing for `c` (new keys, uploaded behind the password stage). */
export async function bootstrapCrossSigning(c: CryptoClient): Promise<void> {
  await c.crypto.bootstrapCrossSigning({ setupNewCrossSigning: true, authUploadDeviceSigningKeys: passwordAuth(c.creds) });
}

/**
 * Sets up secret storage under a new random recovery key and a new key backup whose decryption
 * key is stored in it (Element's "set up recovery"). Returns the recovery key to type in later.
 */
export async function setUpRecovery(c: CryptoClient): Promise<string> {
  let generated: GeneratedSecretStorageKey | undefined;
  // While bootstrapping, the SDK asks for the key it is creating: answer with it.
  const callbacks = c.client.cryptoCallbacks;
  const previous = callbacks.getSecretStorageKey;
  callbacks.getSecretStorageKey = async ({ keys }) => {
    const keyId = Object.keys(keys)[0];
    return keyId === undefined || generated?.privateKey === undefined ? null : [keyId, generated.privateKey];
  };
  try {
    await c.crypto.bootstrapSecretStorage({
      setupNewSecretStorage: true,
      setupNewKeyBackup: true,
      createSecretStorageKey: async () => {
        generated = await c.crypto.createRecoveryKeyFromPassphrase();
        return generated;
      },
    });
  } finally {
    callbacks.getSecretStorageKey = previous;
  }
  if (generated?.encodedPrivateKey === undefined) throw new Error('bootstrapSecretStorage did not create a key');
  return generated.encodedPrivateKey;
}

/**
 * A room `owner` creates with Megolm encryption from its first state, `members` invited and
 * joined; resolves once every client sees everyone joined and the room encrypted, so the next
 * message's room key is shared with all of them.
 */
export async function createEncryptedRoom(owner: CryptoClient, members: readonly CryptoClient[]): Promise<string> {
  const { room_id: roomId } = await owner.client.createRoom({
    initial_state: [{ type: EventType.RoomEncryption, state_key: '', content: { algorithm: 'm.megolm.v1.aes-sha2' } }],
    invite: members.map((m) => m.creds.userId),
  });
  for (const m of members) {
    await waitUntil(m.client, () => m.client.getRoom(roomId)?.getMyMembership() === 'invite', `${m.creds.userId}'s invite`);
    await m.client.joinRoom(roomId);
  }
  const everyone = [owner, ...members];
  for (const c of everyone) {
    await waitUntil(c.client, () => c.client.getRoom(roomId)?.getJoinedMemberCount() === everyone.length, `${c.creds.userId} seeing everyone joined`);
    await waitForAsync(() => c.crypto.isEncryptionEnabledInRoom(roomId), `${c.creds.userId} seeing the room encrypted`);
  }
  return roomId;
}

/** `from` sends `body` to `roomId`; resolves with the event as `to` decrypted it (its plaintext checked). */
export async function sendAndDecrypt(from: CryptoClient, to: CryptoClient, roomId: string, body: string): Promise<MatrixEvent> {
  const { event_id: eventId } = await from.client.sendMessage(roomId, { msgtype: MsgType.Text, body });
  const ev = await waitForDecrypted(to.client, roomId, eventId);
  assert.equal(ev.getWireType(), EventType.RoomMessageEncrypted);
  assert.equal(ev.getType(), EventType.RoomMessage);
  assert.deepEqual(ev.getContent(), { msgtype: MsgType.Text, body });
  return ev;
}

/**
 * `verifier` verifies `target`'s device interactively by SAS (emoji) over to-device messages,
 * both sides confirming that their short codes match (they are compared, not just accepted).
 */
export async function verifyBySas(verifier: CryptoClient, target: CryptoClient): Promise<void> {
  const received = new Promise<VerificationRequest>((resolve) => {
    const on = (req: VerificationRequest): void => {
      if (req.otherUserId !== verifier.creds.userId) return;
      target.client.off(CryptoEvent.VerificationRequestReceived, on);
      resolve(req);
    };
    target.client.on(CryptoEvent.VerificationRequestReceived, on);
  });
  const outgoing = await verifier.crypto.requestDeviceVerification(target.creds.userId, target.creds.deviceId);
  const incoming = await withTimeout(received, 'the verification request reaching the target');
  await incoming.accept();
  await waitForPhase(outgoing, VerificationPhase.Ready);
  const started = await outgoing.startVerification('m.sas.v1');
  await waitForPhase(incoming, VerificationPhase.Started);
  const other = incoming.verifier;
  assert.ok(other, 'the target has a verifier once the SAS has started');

  // Each side reports its short code; both must match before either confirms.
  const codes = [started, other].map(
    (v) =>
      new Promise<string>((resolve) => {
        v.once(VerifierEvent.ShowSas, (sas) => {
          resolve(JSON.stringify(sas.sas.decimal));
          void codesMatch.then((ok) => (ok ? sas.confirm() : sas.mismatch()));
        });
      }),
  );
  const codesMatch = Promise.all(codes).then(([a, b]) => a === b);
  await withTimeout(Promise.all([started.verify(), other.verify()]), 'both sides finishing the SAS');
  assert.equal(await codesMatch, true, 'the short codes match');
  await waitForPhase(outgoing, VerificationPhase.Done);
}

/** Polls an async check every 200 ms until it holds. */
export async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = E2EE_WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function waitForPhase(req: VerificationRequest, phase: VerificationPhase): Promise<void> {
  return withTimeout(
    new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (req.phase === phase) resolve();
        else if (req.phase === VerificationPhase.Cancelled) reject(new Error(`verification cancelled: ${String(req.cancellationCode)}`));
        else req.once(VerificationRequestEvent.Change, check);
      };
      check();
    }),
    `verification phase ${VerificationPhase[phase]}`,
  );
}

function withTimeout<T>(p: Promise<T>, what: string, ms = E2EE_WAIT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The SDK aborts each request after a local timeout (110 s for a long-poll) with a timer it never
 * clears, which would keep the test process alive long after the suite: such timers are unref'd.
 */
const sdkSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const t = sdkSetTimeout(fn, ms, ...args);
  if ((ms ?? 0) >= 10_000 && new Error().stack?.includes('timeoutSignal')) t.unref();
  return t;
}) as typeof setTimeout;
