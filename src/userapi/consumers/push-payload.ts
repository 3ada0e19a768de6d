/**
 * What is POSTed to push gateways for one notification (spec Push Gateway API,
 * `POST /_matrix/push/v1/notify`): one request per gateway URL, carrying every pusher of the
 * user at that URL as a device. `event_id_only` pushers get just the event and room IDs, the
 * counts and the priority (their app fetches the event itself); the others get the event's
 * type, sender, content and the room's name, as the spec lists.
 */
import { isJsonObject, type JsonObject, type JsonValue } from '../../matrix/json.js';
import type { Pusher } from '../api.js';
import type { PushGatewayDevice, PushGatewayNotification } from '../pushgateway/push-gateway-client.js';

/** One notifying event for one user, as the pipeline knows it. */
export interface PushContent {
  readonly eventId: string;
  readonly roomId: string;
  /** The event in client format. */
  readonly event: JsonObject;
  readonly senderDisplayName: string | undefined;
  readonly roomName: string | undefined;
  readonly roomAlias: string | undefined;
  /** The user the notification is for. */
  readonly userId: string;
  /** The tweaks of the matched rule's actions. */
  readonly tweaks: Readonly<Record<string, JsonValue>>;
  /** The user's unread notifications across rooms (`counts.unread`). */
  readonly unread: number;
}

/** One request to one gateway. */
export interface GatewayRequest {
  readonly url: string;
  readonly notification: PushGatewayNotification;
  /** The pushers this request is for (to delete those the gateway rejects). */
  readonly pushers: readonly Pusher[];
}

/**
 * `high` wakes the device: highlights, rules asking for a sound, and encrypted events (whose
 * rules the server could not see, so they may well be either) — as Synapse decides.
 */
export function pushPriority(content: Pick<PushContent, 'event' | 'tweaks'>): 'high' | 'low' {
  const t = content.tweaks;
  const loud = t.highlight === true || (t.sound !== undefined && t.sound !== null && t.sound !== false);
  return loud || content.event.type === 'm.room.encrypted' ? 'high' : 'low';
}

/** The pusher's `format` (`event_id_only`, or undefined for the full payload). */
function formatOf(p: Pusher): string | undefined {
  return typeof p.data.format === 'string' ? p.data.format : undefined;
}

/** The gateway requests for `content`: the user's http pushers grouped by URL and format. */
export function gatewayRequests(pushers: readonly Pusher[], content: PushContent): GatewayRequest[] {
  const groups = new Map<string, { url: string; format: string | undefined; pushers: Pusher[] }>();
  for (const p of pushers) {
    const url = p.data.url;
    if (p.kind !== 'http' || typeof url !== 'string') continue;
    const format = formatOf(p);
    const key = JSON.stringify([url, format ?? null]);
    const group = groups.get(key) ?? { url, format, pushers: [] };
    group.pushers.push(p);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => ({ url: g.url, notification: notificationFor(g.format, g.pushers, content), pushers: g.pushers }));
}

function notificationFor(format: string | undefined, pushers: readonly Pusher[], c: PushContent): PushGatewayNotification {
  const devices = pushers.map((p) => deviceOf(p, c.tweaks));
  const base = { event_id: c.eventId, room_id: c.roomId, prio: pushPriority(c), counts: { unread: c.unread }, devices };
  if (format === 'event_id_only') return base;
  const ev = c.event;
  return {
    ...base,
    ...(typeof ev.type === 'string' ? { type: ev.type } : {}),
    ...(typeof ev.sender === 'string' ? { sender: ev.sender } : {}),
    ...(c.senderDisplayName !== undefined ? { sender_display_name: c.senderDisplayName } : {}),
    ...(c.roomName !== undefined ? { room_name: c.roomName } : {}),
    ...(c.roomAlias !== undefined ? { room_alias: c.roomAlias } : {}),
    ...(ev.type === 'm.room.member' ? { user_is_target: ev.state_key === c.userId } : {}),
    ...(isJsonObject(ev.content) && Object.keys(ev.content).length > 0 ? { content: ev.content } : {}),
  };
}

function deviceOf(p: Pusher, tweaks: Readonly<Record<string, JsonValue>>): PushGatewayDevice {
  // The URL is the homeserver's business, not the gateway's (spec: `data` "minus the url key").
  const data: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(p.data)) if (k !== 'url' && v !== undefined) data[k] = v;
  return { app_id: p.appId, pushkey: p.pushkey, pushkey_ts: Math.floor(p.pushkeyTs / 1000), data, tweaks: { ...tweaks } };
}
