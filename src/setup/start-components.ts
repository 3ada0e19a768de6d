/**
 * Starts the components a process runs and hands each the APIs of the others: the local object
 * (through the in-process short-circuit) for components in this process, the generated HTTP
 * client for the rest, at `components.<name>.internal_url`.
 */
import type { Logger } from 'pino';
import type { Bus } from '../internal/bus/bus.js';
import { ConfigError } from '../internal/config/config-error.js';
import type { LoadedConfig } from '../internal/config/load-config.js';
import type { FederationAuthenticator } from '../internal/httputil/authenticators.js';
import type { AnyRoute } from '../internal/httputil/route.js';
import type { AnyRpcApi } from '../internal/rpc/rpc-protocol.js';
import type { DatabasePool } from '../internal/sqlutil/database-pool.js';
import type { SigningKey } from '../matrix/signing-key.js';
import type { RoomserverFederationAPI } from '../federationapi/api.js';
import type { ComponentDefinition, ComponentInstance } from './component.js';
import { federationAuthenticatorViaApi } from './federation-authenticator-via-api.js';
import { lateBoundApi } from './late-bound-api.js';
import { createPeerHealth } from './peer-health.js';

export interface StartedComponents {
  readonly publicRoutes: readonly AnyRoute[];
  /** inthttp routes of the local components, for the internal listener. */
  readonly internalRoutes: readonly AnyRoute[];
  /** An API handle, as components get them (for wiring authenticators). */
  api<T>(component: string): T;
  /** The X-Matrix check: a local federationapi's, or one using its API when routes need it. */
  readonly federationAuthenticator?: FederationAuthenticator;
  problems(): string[];
  /** Lets every local component answer its held requests before the listeners close. */
  drain(): void;
  stop(): Promise<void>;
}

export interface StartComponentsDeps {
  readonly config: LoadedConfig;
  readonly logger: Logger;
  readonly signingKey: SigningKey;
  readonly bus: Bus;
  readonly databases: DatabasePool;
  readonly registry: readonly ComponentDefinition[];
  readonly selected: readonly string[];
}

export async function startComponents(d: StartComponentsDeps): Promise<StartedComponents> {
  const byName = new Map(d.registry.map((c) => [c.name, c]));
  const local = new Map<string, ComponentInstance>();
  const handles = new Map<string, unknown>();
  const secret = d.config.listen.internal.shared_secret;
  const peerHealth = createPeerHealth(d.logger);

  const api = <T>(name: string): T => {
    const cached = handles.get(name);
    if (cached) return cached as T;
    const def = byName.get(name);
    if (!def?.internalApi) throw new Error(`component ${name} has no internal API`);
    const internalApi = def.internalApi;
    let handle: unknown;
    if (d.selected.includes(name)) {
      let wrapped: AnyRpcApi | undefined;
      handle = lateBoundApi<T>(name, () => {
        const impl = local.get(name)?.api as AnyRpcApi | undefined;
        if (impl && !wrapped) wrapped = internalApi.inProcess(impl);
        return wrapped;
      });
    } else {
      const peer = d.config.components[name];
      if (!peer) {
        throw new ConfigError(
          `invalid config: components.${name}.internal_url: this process calls ${name} but does not run it; say where it runs`,
          `components.${name}.internal_url`,
        );
      }
      handle = internalApi.client({ baseUrl: peer.internal_url, sharedSecret: secret, timeoutMs: d.config.listen.internal.timeout_ms });
      peerHealth.watch(name, peer.internal_url);
    }
    handles.set(name, handle);
    return handle as T;
  };

  const stopAll = async () => {
    peerHealth.stop();
    for (const inst of [...local.values()].reverse()) await inst.stop();
  };
  try {
    for (const def of d.registry) {
      if (!d.selected.includes(def.name)) continue;
      const inst = await def.start({
        config: d.config,
        logger: d.logger.child({ component: def.name }),
        signingKey: d.signingKey,
        bus: d.bus,
        database: () => d.databases.forComponent(def.name),
        api,
      });
      local.set(def.name, inst);
    }
  } catch (e) {
    await stopAll();
    throw e;
  }

  const internalRoutes: AnyRoute[] = [];
  const publicRoutes: AnyRoute[] = [];
  for (const [name, inst] of local) {
    publicRoutes.push(...inst.publicRoutes);
    const def = byName.get(name);
    if (def?.internalApi && inst.api) internalRoutes.push(...def.internalApi.routes(inst.api as AnyRpcApi, { sharedSecret: secret }));
  }
  // The federationapi's own check when it runs here (it also retries queues on contact); else,
  // for federation routes of other components, one that asks its key ring through its API.
  const federationAuthenticator =
    local.get('federationapi')?.federationAuthenticator ??
    [...local.values()].find((i) => i.federationAuthenticator)?.federationAuthenticator ??
    (d.config.federation.enabled && publicRoutes.some((r) => r.auth === 'federation')
      ? federationAuthenticatorViaApi(d.config.server_name, api<RoomserverFederationAPI>('federationapi'))
      : undefined);
  return {
    publicRoutes,
    internalRoutes,
    api,
    ...(federationAuthenticator && { federationAuthenticator }),
    problems: () => [...peerHealth.problems(), ...[...local.values()].flatMap((i) => i.problems?.() ?? [])],
    drain: () => {
      for (const inst of local.values()) inst.drain?.();
    },
    stop: stopAll,
  };
}
