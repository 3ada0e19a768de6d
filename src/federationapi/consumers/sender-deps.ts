/**
 * What the federation sender's consumers share: the queues they fill, the roomserver they ask
 * where a room's servers are, and our name.
 */
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { OutboundQueues } from '../queue/outbound-queues.js';
import type { JoinedServersCache } from './joined-servers-cache.js';

/** The roomserver calls the sender makes. */
export type SenderRoomserverAPI = Pick<ClientRoomserverAPI, 'queryJoinedServers' | 'queryRoomsForUser'>;

/** Dependencies of every sender consumer. */
export interface SenderDeps {
  readonly queues: Pick<OutboundQueues, 'sendPdus' | 'sendEdus'>;
  readonly roomserver: SenderRoomserverAPI;
  /** Our server name: only our users' and our events go out, and never to us. */
  readonly serverName: string;
  /** The clock (ms). */
  readonly now: () => number;
  /** Rooms' joined servers, kept by the roomserver consumer (absent: always ask the roomserver). */
  readonly joinedServers?: JoinedServersCache;
}

/** The servers with a member joined to the room, other than us. */
export async function roomDestinations(deps: SenderDeps, roomId: string): Promise<Set<string>> {
  const load = async (): Promise<readonly string[]> => (await deps.roomserver.queryJoinedServers({ roomId })).serverNames;
  const found = new Set(deps.joinedServers ? await deps.joinedServers.get(roomId, load) : await load());
  found.delete(deps.serverName);
  return found;
}
