/**
 * Redactions: which redaction event targets which event, and whether it has been validated (the
 * redacter had the power to, which may only be known once both events are stored). Validating
 * replaces the target's stored JSON with its redacted form in the same transaction.
 */
import type { StorageContext } from './storage-context.js';

/** A redaction as stored. */
export interface StoredRedaction {
  readonly redactionEventId: string;
  readonly redactsEventId: string;
  readonly validated: boolean;
}

/** Records a redaction event (once). */
export async function insertRedaction(ctx: StorageContext, redactionEventId: string, redactsEventId: string): Promise<void> {
  await ctx.db
    .insertInto('roomserver_redactions')
    .values({ redaction_event_id: redactionEventId, redacts_event_id: redactsEventId, validated: 0 })
    .onConflict((oc) => oc.column('redaction_event_id').doNothing())
    .execute();
}

/** The redactions targeting `eventId`, by redaction event ID. */
export async function selectRedactionsOf(ctx: StorageContext, eventId: string): Promise<StoredRedaction[]> {
  const rows = await ctx.db
    .selectFrom('roomserver_redactions')
    .selectAll()
    .where('redacts_event_id', '=', eventId)
    .orderBy('redaction_event_id')
    .execute();
  return rows.map((r) => ({ redactionEventId: r.redaction_event_id, redactsEventId: r.redacts_event_id, validated: r.validated === 1 }));
}

/**
 * Marks the redaction validated and, in the same transaction, replaces the target's JSON with
 * `redactedJson` and records who redacted it. False when the redaction or target is unknown.
 */
export async function validateRedaction(ctx: StorageContext, redactionEventId: string, redactedJson: string): Promise<boolean> {
  const r = await ctx.db
    .selectFrom('roomserver_redactions as r')
    .innerJoin('roomserver_events as e', 'e.event_id', 'r.redacts_event_id')
    .select('e.event_nid')
    .where('r.redaction_event_id', '=', redactionEventId)
    .executeTakeFirst();
  if (!r) return false;
  await ctx.db.updateTable('roomserver_redactions').set({ validated: 1 }).where('redaction_event_id', '=', redactionEventId).execute();
  await ctx.db.updateTable('roomserver_events').set({ json: redactedJson, redacted_by: redactionEventId }).where('event_nid', '=', r.event_nid).execute();
  return true;
}
