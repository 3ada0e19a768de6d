/**
 * Test-only: runs a table of auth scenarios against every room version a scenario applies to,
 * asserting both the outcome and the rule that decided it. Each case is its own `node:test` test
 * named `v<version> <scenario>`, so a failure names the version and the rule.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoomEvent } from '../room-event.js';
import type { RoomVersion } from '../room-version.js';
import type { AuthDecision } from './auth-decision.js';
import { checkEventAuth } from './check-event-auth.js';
import type { TestRoom } from './test-events.js';
import { ALL_VERSIONS, emptyRoom, standardRoom } from './test-events.js';

/** The expected decision: allowed or not, and the rule that decided. */
export interface Expectation {
  readonly allowed: boolean;
  readonly rule: string;
}

/** An expected allow by `rule`. */
export const allowedBy = (rule: string): Expectation => ({ allowed: true, rule });
/** An expected denial by `rule`. */
export const deniedBy = (rule: string): Expectation => ({ allowed: false, rule });

/** One row of a scenario table. */
export interface AuthScenario {
  readonly name: string;
  /** The versions the row applies to (default: all). */
  readonly only?: (rv: RoomVersion) => boolean;
  /**
   * Start from {@link standardRoom} (default), from a room holding only its create event, or
   * from a room the row builds itself.
   */
  readonly base?: 'standard' | 'empty' | ((rv: RoomVersion) => TestRoom);
  /** Adjusts the room's state and returns the event to check. */
  readonly build: (room: TestRoom) => RoomEvent;
  /** The expected decision, or one per version. */
  readonly expect: Expectation | ((rv: RoomVersion) => Expectation);
  /** The check to run (default: `checkEventAuth` against the room's state). */
  readonly check?: (event: RoomEvent, room: TestRoom) => AuthDecision;
}

/** Registers one test per (scenario, applicable version). Returns how many were registered. */
export function runAuthScenarios(title: string, scenarios: readonly AuthScenario[]): number {
  let count = 0;
  void describe(title, () => {
    for (const s of scenarios) {
      for (const rv of ALL_VERSIONS) {
        if (s.only && !s.only(rv)) continue;
        count += 1;
        void it(`v${rv.id} ${s.name}`, () => {
          const room =
            typeof s.base === 'function' ? s.base(rv) : s.base === 'empty' ? emptyRoom(rv) : standardRoom(rv);
          const event = s.build(room);
          const decision = (s.check ?? ((e, r) => checkEventAuth(e, r.lookup)))(event, room);
          const expected = typeof s.expect === 'function' ? s.expect(rv) : s.expect;
          assert.deepEqual({ allowed: decision.allowed, rule: decision.rule }, expected);
          if (!decision.allowed) assert.ok(decision.reason.length > 0, 'a denial carries a reason');
        });
      }
    }
  });
  return count;
}
