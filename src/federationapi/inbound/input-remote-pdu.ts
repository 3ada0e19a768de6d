/**
 * One PDU of a transaction into the roomserver, filling what it lacks on the way. The roomserver
 * runs the checks on receipt (signatures, hash, auth events, state before, current state) and
 * says when it cannot place the event yet:
 *
 * - `prev_events/missing`: first the events in between (`fetch-missing-prev-events.ts`), then,
 *   if it still cannot be placed, the state before it (`fetch-state-before.ts`);
 * - `auth_events/missing`: the same when its prev events are missing too (the auth events are
 *   usually in the gap), else its auth chain from the origin (`fetch-missing-auth-events.ts`).
 *
 * Each step is tried once, then the event is input again. Accepted and soft-failed events are
 * `{}` (the spec does not count soft failure as rejection); anything else is an `error`.
 */
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { RoomEvent } from '../../matrix/room-event.js';
import type { InputResult } from '../../roomserver/api.js';
import { isFederationRequestError } from '../client/federation-request-error.js';
import { fetchMissingAuthEvents } from './fetch-missing-auth-events.js';
import { fetchMissingPrevEvents } from './fetch-missing-prev-events.js';
import { fetchStateBefore } from './fetch-state-before.js';
import { InboundPduError, pduError, type InboundRoomContext, type PduResult } from './inbound-room-context.js';

type Step = 'auth' | 'missing' | 'state';

/** Inputs `event` (already parsed in the room's version) and answers for it. */
export async function inputRemotePdu(ctx: InboundRoomContext, event: RoomEvent): Promise<PduResult> {
  const tried = new Set<Step>();
  let stateBefore: string[] | undefined;
  let failure: string | undefined;
  for (;;) {
    const result = await inputOnce(ctx, event, stateBefore);
    if (result.accepted) return {};
    const rule = result.rejection?.rule ?? 'unknown';
    const step = await nextStep(ctx, event, rule, tried);
    if (step === undefined) {
      const reason = result.rejection?.reason ?? 'not accepted';
      return pduError(rule, failure === undefined ? reason : `${reason} (${failure})`);
    }
    tried.add(step);
    try {
      if (step === 'auth') await fetchMissingAuthEvents(ctx, event);
      else if (step === 'missing') await fetchMissingPrevEvents(ctx, event);
      else stateBefore = await fetchStateBefore(ctx, event);
    } catch (e) {
      failure = stepFailure(e);
      ctx.deps.logger?.info({ origin: ctx.origin, eventId: event.eventId, step, err: failure }, 'federation /send: could not fill a gap');
      if (step === 'state') return pduError(e instanceof InboundPduError ? e.rule : 'prev_events/missing', failure);
    }
  }
}

/**
 * What to fetch next. Missing auth events of an event whose prev events are missing too are
 * usually in the gap: the gap is filled first (the state fetch brings the auth chain along),
 * and `/event_auth` is asked only when that is not the case or did not help.
 */
async function nextStep(ctx: InboundRoomContext, event: RoomEvent, rule: string, tried: ReadonlySet<Step>): Promise<Step | undefined> {
  const gapStep = (): Step | undefined => (!tried.has('missing') ? 'missing' : !tried.has('state') ? 'state' : undefined);
  if (rule === 'prev_events/missing') return gapStep();
  if (rule !== 'auth_events/missing') return undefined;
  const inGap = gapStep() !== undefined && (await hasUnplacedPrevEvents(ctx, event));
  if (inGap) return gapStep();
  return tried.has('auth') ? undefined : 'auth';
}

/** Whether a prev event of `event` is unknown here or only an outlier (not placed in the DAG). */
async function hasUnplacedPrevEvents(ctx: InboundRoomContext, event: RoomEvent): Promise<boolean> {
  const { events } = await ctx.deps.sendRoomserverApi.queryEvents({ eventIds: event.prevEvents });
  const placed = new Set(events.filter((e) => !e.outlier).map((e) => e.eventId));
  return event.prevEvents.some((id) => !placed.has(id));
}

async function inputOnce(ctx: InboundRoomContext, event: RoomEvent, stateBefore: string[] | undefined): Promise<InputResult> {
  const { results } = await ctx.deps.sendRoomserverApi.inputRoomEvents({
    inputs: [{ kind: 'new', event: event.json, roomVersion: ctx.rv.id, origin: ctx.origin, ...(stateBefore ? { stateEventIdsBefore: stateBefore } : {}) }],
  });
  const [result] = results;
  if (!result) throw new Error('inputRoomEvents answered no result');
  return result;
}

/**
 * What went wrong filling a gap. The origin's failures and our refusals are the PDU's problem;
 * anything else (our database, a bug) propagates, so the transaction fails and is retried.
 */
function stepFailure(e: unknown): string {
  if (e instanceof InboundPduError) return e.message;
  if (isFederationRequestError(e)) return `fetching from ${e.destination} failed: ${e.kind}${e.status === undefined ? '' : ` ${e.status}`}`;
  if (e instanceof MatrixError && e.status < 500) return e.message;
  throw e;
}
