/**
 * One trip to the network for a server's keys: its own `/_matrix/key/v2/server` first, then, if
 * that fails or lacks what the caller needs, each trusted notary in turn. Every response that
 * checks out is stored, whether or not it has the key asked for (it saves the next trip); a
 * forged one (bad signature, other server's name) is dropped and logged.
 */
import type { Logger } from 'pino';
import { parseServerKeys, type ServerKeys } from '../../matrix/server-keys.js';
import type { FederationStorage } from '../storage/index.js';
import { checkNotaryResponse, originSignedOnly } from './check-notary-response.js';
import type { KeyTransport } from './key-transport.js';
import type { TrustedKeyServer } from './trusted-key-servers.js';

/** What {@link fetchRemoteKeys} needs. */
export interface FetchRemoteKeysDeps {
  readonly storage: Pick<FederationStorage, 'storeServerKeys'>;
  readonly transport: KeyTransport;
  readonly trustedKeyServers: readonly TrustedKeyServer[];
  readonly now: () => number;
  readonly logger?: Logger;
}

/** One fetch. */
export interface FetchRequest {
  readonly serverName: string;
  readonly minimumValidUntilTs: number;
  /** Stop as soon as a response satisfies this (undefined: the direct response is enough). */
  readonly isEnough?: (keys: ServerKeys) => boolean;
  /** Whether notaries may be asked (the notary routes only vouch for what they saw directly). */
  readonly useNotaries: boolean;
}

/** Whether any response checked out (false: the server counts as unreachable). */
export async function fetchRemoteKeys(deps: FetchRemoteKeysDeps, req: FetchRequest): Promise<boolean> {
  const problems: string[] = [];
  let gotAny = false;
  const accept = async (keys: ServerKeys): Promise<boolean> => {
    await deps.storage.storeServerKeys(keys, deps.now());
    gotAny = true;
    return req.isEnough ? req.isEnough(keys) : true;
  };

  try {
    const parsed = parseServerKeys(await deps.transport.fetchServerKeys(req.serverName), req.serverName);
    if (parsed.ok) {
      if (await accept({ ...parsed.keys, json: originSignedOnly(parsed.keys.json, req.serverName) })) return true;
    } else {
      problems.push(`direct: ${parsed.reason}`);
    }
  } catch (e) {
    problems.push(`direct: ${(e as Error).message}`);
  }

  if (req.useNotaries) {
    for (const notary of deps.trustedKeyServers) {
      if (notary.serverName === req.serverName) continue;
      try {
        const answers = await deps.transport.queryNotary(notary.serverName, req.serverName, req.minimumValidUntilTs);
        for (const answer of answers) {
          const checked = checkNotaryResponse(answer, notary, req.serverName);
          if (!checked.ok) {
            problems.push(`notary ${notary.serverName}: ${checked.reason}`);
            continue;
          }
          if (await accept(checked.keys)) return true;
        }
      } catch (e) {
        problems.push(`notary ${notary.serverName}: ${(e as Error).message}`);
      }
    }
  }
  if (problems.length > 0) deps.logger?.info({ server_name: req.serverName, problems }, 'fetching server keys: problems');
  return gotAny;
}
