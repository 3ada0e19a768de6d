/**
 * What the federation read routes (`/event`, `/state`, `/state_ids`, `/event_auth`,
 * `/backfill`, `/get_missing_events`, `/timestamp_to_event`) need: the roomserver's reads of
 * rooms, states, auth chains, the DAG and events by time, and the history visibility of events
 * for a server.
 */
import type { RoomserverAPI } from '../../roomserver/api.js';

/** The roomserver calls the read routes make. */
export type RoomReadRoomserverAPI = Pick<
  RoomserverAPI,
  | 'queryRoomInfo'
  | 'queryState'
  | 'queryEvents'
  | 'queryJoinedServers'
  | 'queryEventVisibility'
  | 'queryStateBeforeEvent'
  | 'queryAuthChain'
  | 'queryBackfill'
  | 'queryMissingEvents'
  | 'queryEventByTimestamp'
>;

export interface RoomReadRoutesDeps {
  /** Our server name: the `origin` of the transactions we answer with. */
  readonly serverName: string;
  readonly readRoomserverApi: RoomReadRoomserverAPI;
  /** The clock, for the transactions' `origin_server_ts`. */
  readonly now: () => number;
}
