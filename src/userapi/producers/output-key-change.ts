/**
 * `OutputKeyChangeEvent`: a local user's end-to-end encryption identity changed — a device's
 * keys were uploaded, changed or re-signed, a device was deleted, or the user's cross-signing
 * keys (or the signatures on them) changed. Keyed by user ID, so one user's changes arrive in
 * `streamPosition` order.
 *
 * Who consumes it and what they do:
 * - the syncapi: put `userId` into `device_lists.changed` of every user sharing an encrypted
 *   room with them (and of the user themselves), waking their syncs; the position is the
 *   `device_list` stream position. `/keys/changes` answers from the same log
 *   (`queryKeyChanges`).
 * - the federationapi: `device_keys` → an `m.device_list_update` EDU to every server sharing a
 *   room with the user (`stream_id` = `streamPosition`, `prev_id` = `[prevStreamPosition]` when
 *   not null, `deleted`, `keys` = `deviceKeys`, `device_display_name` = `displayName`);
 *   `cross_signing` with `publicKeysChanged` → an `m.signing_key_update` EDU carrying
 *   `masterKey` / `selfSigningKey`. A `cross_signing` change without `publicKeysChanged` (a new
 *   user-signing key, or the user signing someone else's master key) is private to the user's own
 *   devices and is not sent over federation.
 *
 * Durable: each message is queued in the userapi's outbox in the transaction that writes the
 * change and its row of `userapi_key_changes`, so a committed change is always announced. A
 * consumer that sees a `streamPosition` it already handled treats it as a duplicate.
 */
import type { BusMessage, TopicSpec } from '../../internal/bus/bus.js';
import type { JsonObject } from '../../matrix/json.js';

/** The topic; owned by the userapi. */
export const OutputKeyChangeEvent: TopicSpec = { name: 'OutputKeyChangeEvent' };

/** What every key change carries. */
interface KeyChangeBase {
  /** The local user whose keys changed. */
  readonly userId: string;
  /** This change's position in the server-wide key change log (`device_list` sync stream). */
  readonly streamPosition: number;
  /** The position of the same user's previous change, null for their first (the EDU's `prev_id`). */
  readonly prevStreamPosition: number | null;
}

/**
 * One device's keys changed. With `deleted` false, `deviceKeys` is the device's signed
 * `DeviceKeys` object as `/keys/query` serves it (signatures uploaded later merged in, no
 * `unsigned`). With `deleted` true the device is gone (or its keys were removed) and
 * `deviceKeys` is null.
 */
export interface DeviceKeysChanged extends KeyChangeBase {
  readonly type: 'device_keys';
  readonly deviceId: string;
  readonly deleted: boolean;
  readonly deviceKeys: JsonObject | null;
  /** The device's display name (for `device_display_name`), null when it has none or is deleted. */
  readonly displayName: string | null;
}

/**
 * The user's cross-signing keys, or the signatures on them, changed. The keys are the user's
 * current ones as `/keys/query` serves them to other users (null when the user has none).
 */
export interface CrossSigningChanged extends KeyChangeBase {
  readonly type: 'cross_signing';
  readonly masterKey: JsonObject | null;
  readonly selfSigningKey: JsonObject | null;
  /**
   * The master or self-signing key changed (or a signature others may see was added to the
   * master key): other servers must be told. false when only the user's own devices care.
   */
  readonly publicKeysChanged: boolean;
}

/** Every message on {@link OutputKeyChangeEvent}. */
export type OutputKeyChangeMessage = DeviceKeysChanged | CrossSigningChanged;

/** The bus message for one key change. */
export function keyChangeMessage(change: OutputKeyChangeMessage): BusMessage<OutputKeyChangeMessage> {
  return { topic: OutputKeyChangeEvent, key: change.userId, payload: change };
}
