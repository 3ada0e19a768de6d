/**
 * The federationapi as a component. So far: its storage, the outbound federation client
 * (`client/`), the key ring (other servers' keys, from memory, the database, the server itself
 * or trusted notaries, fetched through that client), the X-Matrix check of inbound requests
 * (`auth/`, handed to the HTTP layer for `auth: 'federation'` routes) and the key routes
 * (`/_matrix/key/v2/server`, the notary `/_matrix/key/v2/query` routes) plus
 * `/_matrix/federation/v1/version`, the profile and directory queries, and the published rooms,
 * space hierarchy and OpenID userinfo reads (answered through the userapi and roomserver). It has no internal API yet.
 */
import type { OldVerifyKey } from '../matrix/server-keys.js';
import type { RoomserverAPI } from '../roomserver/api.js';
import type { UserAPI } from '../userapi/api.js';
import { federationapiInternalApi } from './inthttp.js';
import { createFederationInternalAPI } from './internal/index.js';
import { startFederationSender } from './consumers/start-federation-sender.js';
import type { ComponentDefinition } from '../setup/component.js';
import { createFederationAuthenticator } from './auth/federation-authenticator.js';
import type { FederationKeyLookup } from './auth/federation-key-lookup.js';
import { federationClientFromConfig } from './client/client-from-config.js';
import type { FederationClient } from './client/federation-client.js';
import { FederationRequestError } from './client/federation-request-error.js';
import { createKeyRing, type KeyRing } from './keyring/key-ring.js';
import { oldSigningKeysFromConfig } from './keyring/old-signing-keys.js';
import { NO_KEY_TRANSPORT, type KeyTransport } from './keyring/key-transport.js';
import type { OurKeys } from './keyring/our-server-keys.js';
import { trustedKeyServersFromConfig } from './keyring/trusted-key-servers.js';
import { federationapiRoutes } from './routing/index.js';
import type { UserKeysUserAPI } from './routing/user-keys.js';
import { createRemoteDeviceLists } from './internal/remote-device-lists.js';
import { createRemoteDeviceListStorage } from './storage/remote-device-lists-table.js';
import type { DirectoryUserAPI } from './routing/directory-routes-deps.js';
import type { QueryUserAPI } from './routing/query-routes-deps.js';
import { openFederationStorage } from './storage/index.js';

/** What a process (or a test) may choose when building the component. */
export interface FederationapiComponentOptions {
  /** How the key ring reaches other servers. Default: the outbound federation client. */
  readonly transport?: KeyTransport;
  /** Keys we no longer sign with, still published (default: the config's `old_signing_keys`). */
  readonly oldKeys?: readonly OldVerifyKey[];
  /** How long others may use our keys before refetching (default 7 days). */
  readonly keyValidityPeriodMs?: number;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** The component, with its choices made. */
export function createFederationapiComponent(o: FederationapiComponentOptions = {}): ComponentDefinition {
  return {
    name: 'federationapi',
    internalApi: federationapiInternalApi,
    async start(ctx) {
      const database = await ctx.database();
      const storage = await openFederationStorage(database);
      const now = o.now ?? Date.now;
      const serverName = ctx.config.server_name;
      const fed = ctx.config.federation;
      const ourKeys: OurKeys = { signingKeys: [ctx.signingKey], oldKeys: o.oldKeys ?? oldSigningKeysFromConfig(ctx.config.old_signing_keys), validityPeriodMs: o.keyValidityPeriodMs };
      // With federation off nothing is ever fetched: only stored keys and ours are found.
      const client = o.transport ? undefined : federationClientFromConfig(ctx.config, ctx.signingKey);
      const keyRing = createKeyRing({
        storage,
        transport: fed.enabled ? (o.transport ?? client ?? NO_KEY_TRANSPORT) : NO_KEY_TRANSPORT,
        serverName,
        ourKeys,
        trustedKeyServers: trustedKeyServersFromConfig(fed.trusted_key_servers),
        now,
        logger: ctx.logger,
      });
      const roomserver = ctx.api<RoomserverAPI>('roomserver');
      // The sender needs the network: with federation off (or a test transport) nothing is sent.
      const sender = client
        ? await startFederationSender({ bus: ctx.bus, storage, client, roomserver, serverName, logger: ctx.logger, now, shard: fed.sender_shard })
        : undefined;
      // Remote users' device lists, updated by their servers' EDUs; changes announced through our outbox.
      const deviceLists = createRemoteDeviceLists({
        serverName,
        storage: createRemoteDeviceListStorage(database, await ctx.bus.outbox(database, 'federationapi')),
        client: fed.enabled ? client : undefined,
        roomserver,
        now,
        logger: ctx.logger,
      });
      const authenticator = createFederationAuthenticator({ serverName, keys: requestKeyLookup(keyRing), now });
      const api = createFederationInternalAPI({
        serverName,
        signingKey: ctx.signingKey,
        keyRing,
        client: fed.enabled ? client : undefined,
        roomserver,
        now,
        logger: ctx.logger,
        deviceLists,
      });
      return {
        api,
        publicRoutes: federationapiRoutes({
          serverName,
          signingKey: ctx.signingKey,
          ourKeys,
          keyRing,
          now,
          logger: ctx.logger,
          bus: ctx.bus,
          userApi: ctx.api<QueryUserAPI & DirectoryUserAPI>('userapi'),
          presenceUserApi: ctx.api<Pick<UserAPI, 'performRemotePresenceUpdate'>>('userapi'),
          roomserverApi: roomserver,
          readRoomserverApi: roomserver,
          sendRoomserverApi: roomserver,
          membershipRoomserverApi: roomserver,
          thirdPartyRoomserverApi: roomserver,
          federationClient: client ?? NO_FEDERATION_CLIENT,
          receivedTransactions: storage,
          deviceLists,
          keysUserApi: ctx.api<UserKeysUserAPI>('userapi'),
        }),
        federationAuthenticator: {
          // Any authenticated request shows the server is up again: retry what waits for it now.
          async authenticate(req, body) {
            const origin = await authenticator.authenticate(req, body);
            void sender?.heardFrom(origin.serverName);
            return origin;
          },
        },
        stop: async () => {
          // The sender first: its transactions in flight use the client.
          await sender?.stop();
          await client?.close();
        },
      };
    },
  };
}

/**
 * The key ring as request verification asks it: a request is checked against the origin's keys
 * valid now, never an old key (those verify only what was signed while they were in use).
 */
function requestKeyLookup(keyRing: KeyRing): FederationKeyLookup {
  return {
    async verifyKey(serverName, keyId) {
      const found = await keyRing.verifyKey(serverName, keyId);
      return found.ok ? found.key.publicKey : undefined;
    },
  };
}

/** The component as a monolith runs it. */
export const federationapiComponent: ComponentDefinition = createFederationapiComponent();

/** The client of a server that does not federate: every request fails (nothing reaches the network). */
const NO_FEDERATION_CLIENT: Pick<FederationClient, 'request'> = {
  request: () => Promise.reject(new FederationRequestError({ destination: '', kind: 'blocked', message: 'federation is disabled' })),
};
