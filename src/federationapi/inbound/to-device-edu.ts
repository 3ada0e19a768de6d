/**
 * `m.direct_to_device` from another server (spec "Send-to-device messaging"): messages from one
 * of its users for devices of ours. Passed on `OutputSendToDeviceEvent` (as our own users'
 * messages are), one message per recipient device or `*`, for the syncapi to store.
 *
 * Believed only when the sender belongs to the sending server; recipients that are not our users,
 * and device entries that are not objects, are dropped one by one. The EDU's `message_id` makes
 * it idempotent: a server resending an EDU (a transaction retried under a new ID after a
 * restart) is recognised by (origin, message_id), remembered for the last
 * {@link REMEMBERED_MESSAGE_IDS} EDUs; beyond that, the syncapi still stores a message once per
 * device while it is pending, since the topic's message ID is derived from the same pair.
 */
import { toDeviceMessageId, publishSendToDevice, type SendToDeviceMessage } from '../../clientapi/producers/output-send-to-device.js';
import { boundedCache, type BoundedCache } from '../../internal/util/bounded-cache.js';
import { domainOf } from '../../matrix/ids/domain-of.js';
import { parseUserId } from '../../matrix/ids/user-id.js';
import { isJsonObject, type JsonValue } from '../../matrix/json.js';
import type { SendTransactionDeps } from '../routing/send-transaction-deps.js';

/** How many (origin, message_id) pairs are remembered, per server. */
export const REMEMBERED_MESSAGE_IDS = 10_000;

/** The spec's limit on `message_id` (code points). */
const MAX_MESSAGE_ID_LENGTH = 32;

// One memory per server: keyed by its transaction deps, which live as long as its routes.
const seenByServer = new WeakMap<object, BoundedCache<string, true>>();

function seenFor(deps: SendTransactionDeps): BoundedCache<string, true> {
  let seen = seenByServer.get(deps);
  if (!seen) seenByServer.set(deps, (seen = boundedCache(REMEMBERED_MESSAGE_IDS)));
  return seen;
}

/** What became of one EDU: how many messages were published, and what was dropped (and why). */
export interface ToDeviceEduResult {
  readonly published: number;
  /** Why the whole EDU was ignored, if it was. */
  readonly ignored?: string;
  /** Recipients dropped, with the reason. */
  readonly dropped: readonly string[];
}

/** Handles one `m.direct_to_device` EDU's content sent by `origin`. */
export async function handleToDeviceEdu(deps: SendTransactionDeps, origin: string, content: JsonValue | undefined): Promise<ToDeviceEduResult> {
  const none = (ignored: string): ToDeviceEduResult => ({ published: 0, ignored, dropped: [] });
  if (!isJsonObject(content)) return none('content is not an object');
  const { sender, type, message_id: messageId, messages } = content;
  if (typeof sender !== 'string' || typeof type !== 'string' || typeof messageId !== 'string' || !isJsonObject(messages)) {
    return none('sender, type, message_id or messages missing');
  }
  if ([...messageId].length > MAX_MESSAGE_ID_LENGTH) return none('message_id is too long');
  const user = parseUserId(sender, { allowHistorical: true });
  if (!user.ok || user.value.serverName !== origin) return none(`${sender} is not a user of ${origin}`);
  const seen = seenFor(deps);
  const key = `${origin}\u0000${messageId}`;
  if (seen.get(key)) return none('message_id already handled');

  const out: Omit<SendToDeviceMessage, 'type'>[] = [];
  const dropped: string[] = [];
  const id = toDeviceMessageId(['federation', origin, messageId]);
  for (const [userId, devices] of Object.entries(messages)) {
    if (domainOf(userId) !== deps.serverName || !parseUserId(userId, { allowHistorical: true }).ok) {
      dropped.push(`${userId}: not a user of this server`);
      continue;
    }
    if (!isJsonObject(devices)) {
      dropped.push(`${userId}: devices is not an object`);
      continue;
    }
    for (const [deviceId, body] of Object.entries(devices)) {
      if (!isJsonObject(body)) {
        dropped.push(`${userId} ${deviceId}: content is not an object`);
        continue;
      }
      out.push({ sender, recipientUserId: userId, recipientDeviceId: deviceId, eventType: type, content: body, messageId: id });
    }
  }
  await publishSendToDevice(deps.bus, out);
  // Only once published: a failed publish leaves the EDU to be handled when it comes again.
  seen.set(key, true);
  return { published: out.length, dropped };
}
