/**
 * What the federation sender's consumers share: the queues they fill, the roomserver they ask
 * where a room's servers are, and our name.
 */
import type { ClientRoomserverAPI } from '../../roomserver/api.js';
import type { OutboundQueues } from '../queue/outbound-queues.js';

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
}

/** The servers with a member joined to the room, other than us. */
export async function roomDestinations(deps: SenderDeps, roomId: string): Promise<Set<string>> {
  const { serverNames } = await deps.roomserver.queryJoinedServers({ roomId });
  const found = new Set(serverNames);
  found.delete(deps.serverName);
  return found;
}
