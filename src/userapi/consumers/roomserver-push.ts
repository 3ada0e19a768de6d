/**
 * The userapi's push consumer of the roomserver's `OutputRoomEvent` (durable name
 * `userapi-push`, apart from the directory's `userapi-roomserver` so pushes never wait behind
 * directory work). For each new event it evaluates the push rules of every local user joined to
 * the room (and of a local user the event invites), stores the notifications with their new
 * unread counts, `OutputNotificationData` messages and queued pushes (for users with an http
 * pusher) in one transaction, then hands the queued pushes to the background push sender.
 * Redelivery stores nothing twice: a (user, event) pair has one row, and only newly stored rows
 * are pushed.
 */
import type { Logger } from 'pino';
import type { Bus, Subscription } from '../../internal/bus/bus.js';
import { toClientEvent } from '../../matrix/client-event.js';
import { isJsonObject, type JsonObject } from '../../matrix/json.js';
import { OUTPUT_ROOM_EVENT, type OutputRoomEventMessage } from '../../roomserver/producers/output-room-event.js';
import { evaluatePushRules, pushActionEffects, type PushEvent } from '../pushrules/index.js';
import type { UserStorage } from '../storage/index.js';
import type { NewNotification } from '../storage/notification-storage.js';
import { threadOfNewEvent, type EventPositions } from './event-positions.js';
import { notificationLevels, type NewRoomEvent, type PushRoomCache, type PushRoomState } from './push-room-cache.js';
import type { PushRulesCache } from './push-rules-cache.js';
import type { PushSender } from './push-sender.js';
import { localpartOf } from '../internal/user-internal-context.js';

/** The durable consumer name. */
export const USERAPI_PUSH_CONSUMER = 'userapi-push';

/** What the push consumer works with. */
export interface PushConsumerDeps {
  readonly storage: Pick<UserStorage, 'notifications'>;
  /** This server's name: members on it are the users to notify. */
  readonly serverName: string;
  readonly rules: PushRulesCache;
  readonly rooms: PushRoomCache;
  /** Where event positions are remembered for read receipts, and threads for related events. */
  readonly positions: EventPositions;
  /** Absent: notifications are stored and counted but pushed to no gateway. */
  readonly sender?: PushSender;
  /** Publishes what the storage queued in the outbox. */
  readonly flushOutbox: () => Promise<void>;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** Messages handled at once across rooms (one room is always serial); 8 by default. */
  readonly concurrency?: number;
}

/** Handles one `OutputRoomEvent` message; throws (to be redelivered) when storage or the roomserver fails. */
export async function handlePushOutput(deps: PushConsumerDeps, msg: OutputRoomEventMessage): Promise<void> {
  switch (msg.type) {
    case 'new_room_event':
      return notifyNewEvent(deps, msg);
    case 'redacted_event':
      // A redacted event is no longer news: its notifications go, and their counts with them.
      await deps.storage.notifications.removeEventNotifications(msg.redactedEventId);
      return deps.flushOutbox();
    case 'retire_invite':
      // The invite's notification stays in the list like any other; it was counted when made.
      return;
    case 'backfilled_events':
      // History is never news.
      return;
    default: {
      const never: never = msg;
      throw new Error(`userapi push: unknown OutputRoomEvent message ${JSON.stringify(never)}`);
    }
  }
}

/** A local user the event may notify, with their display name in the room. */
interface Recipient {
  readonly userId: string;
  readonly localpart: string;
  readonly displayName: string | null;
}

/** Evaluates, stores and pushes the notifications of one new event. */
async function notifyNewEvent(deps: PushConsumerDeps, msg: NewRoomEvent): Promise<void> {
  const threadId = await threadOfNewEvent(msg.event, deps.positions, (id) => deps.storage.notifications.getEventThread(id));
  deps.positions.remember(msg.eventId, msg.streamPosition, threadId);
  if (await readOnLeaving(deps, msg)) await deps.flushOutbox();
  const state = await deps.rooms.stateAfter(msg);
  const recipients = recipientsOf(deps.serverName, state, msg.event);
  if (recipients.length === 0) return;
  const event = toClientEvent(msg.eventId, msg.roomId, msg.event) as unknown as JsonObject;
  const sender = typeof msg.event.sender === 'string' ? msg.event.sender : '';
  const levels = notificationLevels(state, sender);
  const now = (deps.now ?? Date.now)();
  const eventTs = typeof msg.event.origin_server_ts === 'number' ? msg.event.origin_server_ts : now;
  const rulesets = await Promise.all(recipients.map((r) => deps.rules.rulesFor(r.userId, r.localpart)));
  const batch: NewNotification[] = [];
  const senderDisplayName = state.joined.get(sender) ?? undefined;
  recipients.forEach((r, i) => {
    const ruleset = rulesets[i];
    if (!ruleset) return;
    const match = evaluatePushRules(ruleset, event as PushEvent, {
      userId: r.userId,
      roomMemberCount: state.joined.size,
      userDisplayName: r.displayName,
      ...levels,
    });
    if (!match) return;
    const effects = pushActionEffects(match.actions);
    if (!effects.notify) return;
    batch.push({
      localpart: r.localpart,
      userId: r.userId,
      roomId: msg.roomId,
      eventId: msg.eventId,
      threadId,
      roomPosition: msg.streamPosition,
      eventTs,
      ts: now,
      highlight: effects.highlight,
      actions: match.actions,
      // Without a sender nothing would ever take the push off the queue.
      ...(deps.sender ? { push: { event, senderDisplayName, roomName: state.name, roomAlias: state.canonicalAlias, tweaks: effects.tweaks } } : {}),
    });
  });
  const added = await deps.storage.notifications.addNotifications(batch);
  // Nothing stored, nothing queued: no outbox round trip on the hot path.
  if (added.length > 0) await deps.flushOutbox();
  // Queued by storage only when stored unread (a receipt may have overtaken the event) for a
  // user with an http pusher: the common batch, nobody with a pusher, costs the sender nothing.
  const pushes = added.flatMap((a) => (a.queuedPush ? [{ notificationId: a.id, content: a.queuedPush }] : []));
  if (pushes.length > 0) deps.sender?.enqueue(pushes);
}

/**
 * A local user who leaves the room (or rejects its invite, is kicked or banned) has nothing left
 * to read there: their notifications in it up to the event are marked read, so the room's counts
 * stop adding to the badge of their pushes. True when some were unread.
 */
async function readOnLeaving(deps: PushConsumerDeps, msg: NewRoomEvent): Promise<boolean> {
  const ev = msg.event;
  if (ev.type !== 'm.room.member' || typeof ev.state_key !== 'string' || !isJsonObject(ev.content)) return false;
  if (ev.content.membership !== 'leave' && ev.content.membership !== 'ban') return false;
  const localpart = localpartOf({ serverName: deps.serverName }, ev.state_key);
  if (localpart === undefined) return false;
  return (await deps.storage.notifications.markNotificationsRead(localpart, msg.roomId, { roomPosition: msg.streamPosition })) !== undefined;
}

/** Local members joined to the room after the event, and a local user it invites; never the sender. */
function recipientsOf(serverName: string, state: PushRoomState, ev: JsonObject): Recipient[] {
  const out: Recipient[] = [];
  const local = (userId: string): string | undefined => localpartOf({ serverName }, userId);
  for (const [userId, displayName] of state.joined) {
    const localpart = local(userId);
    if (localpart !== undefined && userId !== ev.sender) out.push({ userId, localpart, displayName });
  }
  const content = isJsonObject(ev.content) ? ev.content : {};
  if (ev.type === 'm.room.member' && content.membership === 'invite' && typeof ev.state_key === 'string' && ev.state_key !== ev.sender) {
    const localpart = local(ev.state_key);
    const displayName = typeof content.displayname === 'string' ? content.displayname : null;
    if (localpart !== undefined && !state.joined.has(ev.state_key)) out.push({ userId: ev.state_key, localpart, displayName });
  }
  return out;
}

/** Subscribes the consumer; stop the returned subscription on shutdown. */
export function startPushConsumer(bus: Bus, deps: PushConsumerDeps): Promise<Subscription> {
  return bus.subscribe<OutputRoomEventMessage>({
    topic: OUTPUT_ROOM_EVENT,
    consumer: USERAPI_PUSH_CONSUMER,
    concurrency: deps.concurrency ?? 8,
    handler: (m) => handlePushOutput(deps, m.payload),
  });
}
