/**
 * An event whose auth events we lack cannot pass step 4 of the checks on receipt. We ask the
 * origin for its auth chain (`GET /event_auth/{roomId}/{eventId}`, spec "Retrieving event
 * authorisation information") and input the events we do not have as outliers, so the event
 * can be checked again.
 */
import { isJsonObject } from '../../matrix/json.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import { InboundPduError, type InboundRoomContext } from './inbound-room-context.js';
import { inputOutliers } from './input-outliers.js';
import { parseRemotePdu } from './parse-remote-pdu.js';
import { unknownEventIds } from './unknown-event-ids.js';

/**
 * Fetches and inputs the auth chain of `event` that is not stored yet.
 * @throws InboundPduError when the chain is too large for the budget.
 * @throws FederationRequestError when the origin fails.
 */
export async function fetchMissingAuthEvents(ctx: InboundRoomContext, event: RoomEvent): Promise<void> {
  const { deps, origin, roomId } = ctx;
  const res = await deps.federationClient.request<unknown>({
    method: 'GET',
    destination: origin,
    path: `/_matrix/federation/v1/event_auth/${encodeURIComponent(roomId)}/${encodeURIComponent(event.eventId)}`,
  });
  const chain = isJsonObject(res) && Array.isArray(res.auth_chain) ? res.auth_chain : [];
  const parsed = new Map<string, RoomEvent>();
  for (const pdu of chain) {
    const p = parseRemotePdu(pdu, ctx.rv, roomId);
    if (p.ok) parsed.set(p.event.eventId, p.event);
  }
  const unknown = await unknownEventIds(deps.sendRoomserverApi, [...parsed.keys()]);
  if (!ctx.budget.take(unknown.length)) {
    throw new InboundPduError('fetch/budget', `an auth chain of ${unknown.length} unknown events is more than this transaction may cost`);
  }
  await inputOutliers(ctx, unknown.map((id) => parsed.get(id)!));
}
