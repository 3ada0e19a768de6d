/**
 * Whether a missing service binary is a failure (CI, AXON_REQUIRE_SERVICES=1) or a skip with a
 * printed reason (a developer machine without PostgreSQL or NATS).
 */
export function servicesRequired(): boolean {
  return process.env.CI === 'true' || process.env.AXON_REQUIRE_SERVICES === '1';
}

/** Prints why a suite is skipped, and returns the reason for `describe(…, { skip })`. */
export function skipReason(service: string, why: string): string {
  const reason = `${service} unavailable: ${why} (install it, or set AXON_REQUIRE_SERVICES=1 to make this a failure)`;
  console.log(`# skipping ${service}-backed suite: ${reason}`);
  return reason;
}
