/**
 * `OutputRoomEvent`: what happened in rooms, keyed by room ID so each room's messages arrive in
 * order. Consumed by the syncapi, federationapi, userapi (push) and appservice; every consumer
 * must handle every variant (exhaustive switch).
 */
import type { TopicSpec } from '../../internal/bus/bus.js';
import type { JsonObject } from '../../matrix/json.js';

export const OUTPUT_ROOM_EVENT: TopicSpec = { name: 'OutputRoomEvent' };

export type OutputRoomEventMessage =
  /**
   * A new event became part of the room (not soft-failed). Consumers add it to their timeline;
   * `addsStateEventIds`/`removesStateEventIds` say how the current state changed with it.
   */
  | {
      readonly type: 'new_room_event';
      readonly roomId: string;
      readonly roomVersion: string;
      readonly eventId: string;
      readonly event: JsonObject;
      readonly addsStateEventIds: readonly string[];
      readonly removesStateEventIds: readonly string[];
      readonly latestEventIds: readonly string[];
      /** The room's stream position after this event (monotonic per room). */
      readonly streamPosition: number;
      /** Set when a local device sent it, so sync can echo `transaction_id` to that device. */
      readonly transaction: { readonly userId: string; readonly deviceId: string; readonly transactionId: string } | null;
      /**
       * The server that must send this event to the room's other servers when its sender is
       * remote (a join through `send_join`); absent otherwise. Events of local senders are
       * always sent by their server.
       */
      readonly sendAsServer?: string;
    }
  /** An earlier event was redacted: consumers replace their copy with `redactedEvent`. */
  | {
      readonly type: 'redacted_event';
      readonly roomId: string;
      readonly redactedEventId: string;
      readonly redactedBy: string;
      readonly redactedEvent: JsonObject;
    }
  /** A pending invite is no longer pending (the invitee joined, rejected or was uninvited). */
  | {
      readonly type: 'retire_invite';
      readonly roomId: string;
      readonly userId: string;
      readonly retiredEventIds: readonly string[];
    }
  /**
   * Old events fetched from another server (backfill), placed in the DAG below what the room
   * already had. History only: they change no current state and are not news — consumers that
   * keep a timeline store them in topological place without waking anyone; the rest ignore them.
   */
  | {
      readonly type: 'backfilled_events';
      readonly roomId: string;
      readonly roomVersion: string;
      readonly events: readonly { readonly eventId: string; readonly event: JsonObject }[];
    };
