import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MatrixError } from '../../internal/errors/matrix-error.js';
import type { JsonResponse } from '../../internal/httputil/route.js';
import type { PerformUiaSessionUpdateRequest, UiaSession } from '../../userapi/api.js';
import type { FailedLoginLimiter } from './failed-login-limiter.js';
import { finishUserInteractiveAuth, runUserInteractiveAuth, UIA_SESSION_LIFETIME_MS, type UiaOutcome, type UiaRequest } from './run-user-interactive-auth.js';
import type { UiaFlow } from './uia-flows.js';
import { requestBinding } from './uia-request-binding.js';

/** Just the userapi methods UIA uses, kept in memory as the userapi would keep them in storage. */
function fakeUserApi() {
  const sessions = new Map<string, UiaSession>();
  const reserved: string[] = [];
  let next = 0;
  let clock = 1_000_000;
  return {
    sessions,
    reserved,
    advance: (ms: number) => (clock += ms),
    now: () => clock,
    async performUiaSessionUpdate(req: PerformUiaSessionUpdateRequest) {
      const id = req.sessionId ?? `s${++next}`;
      const prev = sessions.get(id) ?? { sessionId: id, completed: [], params: {}, createdTs: clock };
      if (req.sessionId !== undefined && !sessions.has(id)) return { session: null };
      const completed = req.completedStage && !prev.completed.includes(req.completedStage) ? [...prev.completed, req.completedStage] : prev.completed;
      const session = JSON.parse(JSON.stringify({ ...prev, completed, params: { ...prev.params, ...req.params } })) as UiaSession;
      sessions.set(id, session);
      return { session };
    },
    async queryUiaSession(req: { sessionId: string }) {
      return { session: sessions.get(req.sessionId) ?? null };
    },
    async performUiaSessionDelete(req: { sessionId: string }) {
      sessions.delete(req.sessionId);
      return {};
    },
    async queryPasswordCheck(req: { userId: string; password: string }) {
      return { ok: req.userId === '@alice:hs.test' && req.password === 'right' };
    },
    async performRegistrationTokenReserve(req: { token: string; sessionId?: string }) {
      if (req.token !== 'good-token') throw MatrixError.forbidden('invalid token');
      reserved.push(`${req.token}@${req.sessionId ?? ''}`);
      return {};
    },
  };
}

function countingLimiter(): FailedLoginLimiter & { failures: string[]; blocked: Set<string> } {
  const failures: string[] = [];
  const blocked = new Set<string>();
  return {
    failures,
    blocked,
    check: (u) => {
      if (blocked.has(u)) throw MatrixError.limitExceeded(1000);
    },
    recordFailure: (u) => void failures.push(u),
  };
}

type Fake = ReturnType<typeof fakeUserApi>;

function request(api: Fake, opts: { flows: UiaFlow[]; auth?: unknown; body?: object; userId?: string; url?: string; limiter?: FailedLoginLimiter }): UiaRequest {
  const userId = opts.userId ?? '';
  return {
    userApi: api,
    flows: opts.flows,
    auth: opts.auth,
    binding: requestBinding('POST', opts.url ?? '/_matrix/client/v3/op', opts.body ?? { x: 1 }, userId),
    stage: { userApi: api, serverName: 'hs.test', failedLogins: opts.limiter ?? countingLimiter(), userId },
    now: api.now,
  };
}

function challengeBody(o: UiaOutcome): Record<string, unknown> {
  assert.equal(o.kind, 'challenge');
  const r = (o as { response: JsonResponse }).response;
  assert.equal(r.status, 401);
  return r.body as Record<string, unknown>;
}

async function rejects(p: Promise<unknown>, status: number, errcode: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof MatrixError && e.status === status && e.errcode === errcode);
}

const DUMMY: UiaFlow[] = [['m.login.dummy']];
const PASSWORD: UiaFlow[] = [['m.login.password']];

describe('user-interactive auth', () => {
  it('answers a request without auth with the flows and a new session, and no errcode', async () => {
    const api = fakeUserApi();
    const body = challengeBody(await runUserInteractiveAuth(request(api, { flows: DUMMY })));
    assert.deepEqual(body, { flows: [{ stages: ['m.login.dummy'] }], params: {}, session: 's1' });
    assert.equal(api.sessions.size, 1);
  });

  it('completes a dummy flow with the session, and finish deletes the session', async () => {
    const api = fakeUserApi();
    await runUserInteractiveAuth(request(api, { flows: DUMMY }));
    const out = await runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.dummy', session: 's1' } }));
    assert.equal(out.kind, 'complete');
    assert.deepEqual(out.kind === 'complete' && out.session.completed, ['m.login.dummy']);
    if (out.kind === 'complete') await finishUserInteractiveAuth(api, out.session);
    assert.equal(api.sessions.size, 0);
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.dummy', session: 's1' } })), 400, 'M_UNKNOWN');
  });

  it('starts a session when the auth dict has none', async () => {
    const api = fakeUserApi();
    const out = await runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.dummy' } }));
    assert.equal(out.kind, 'complete');
  });

  it('reports completed stages while a flow is unfinished, and enforces stage order', async () => {
    const api = fakeUserApi();
    const flows: UiaFlow[] = [['m.login.dummy', 'm.login.registration_token']];
    await runUserInteractiveAuth(request(api, { flows }));
    const early = challengeBody(await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.registration_token', token: 'good-token', session: 's1' } })));
    assert.equal(early.errcode, 'M_FORBIDDEN', 'the token stage is not first');
    assert.equal(early.completed, undefined);
    assert.deepEqual(api.reserved, [], 'a stage out of order is not run');
    const mid = challengeBody(await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.dummy', session: 's1' } })));
    assert.deepEqual(mid, { flows: [{ stages: ['m.login.dummy', 'm.login.registration_token'] }], params: {}, session: 's1', completed: ['m.login.dummy'] });
    const again = challengeBody(await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.dummy', session: 's1' } })));
    assert.equal(again.errcode, undefined, 'retrying a completed stage is not an error');
    assert.deepEqual(again.completed, ['m.login.dummy']);
    const done = await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.registration_token', token: 'good-token', session: 's1' } }));
    assert.equal(done.kind, 'complete');
    assert.deepEqual(done.kind === 'complete' && done.session.params.registrationToken, 'good-token');
    assert.deepEqual(api.reserved, ['good-token@s1'], 'the use is reserved for the session');
  });

  it('a session-only auth dict reports the state without running a stage', async () => {
    const api = fakeUserApi();
    await runUserInteractiveAuth(request(api, { flows: DUMMY }));
    const body = challengeBody(await runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { session: 's1' } })));
    assert.equal(body.errcode, undefined);
    assert.equal(body.session, 's1');
  });

  it('fails a wrong registration token with M_FORBIDDEN in the 401, keeping the session', async () => {
    const api = fakeUserApi();
    const flows: UiaFlow[] = [['m.login.registration_token']];
    const body = challengeBody(await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.registration_token', token: 'bad' } })));
    assert.equal(body.errcode, 'M_FORBIDDEN');
    assert.equal(typeof body.error, 'string');
    assert.equal(body.session, 's1');
    const missing = challengeBody(await runUserInteractiveAuth(request(api, { flows, auth: { type: 'm.login.registration_token', session: 's1' } })));
    assert.equal(missing.errcode, 'M_MISSING_PARAM');
  });

  it('checks the password of the bound user and counts failures', async () => {
    const api = fakeUserApi();
    const limiter = countingLimiter();
    const base = { flows: PASSWORD, userId: '@alice:hs.test', limiter };
    const wrong = challengeBody(await runUserInteractiveAuth(request(api, { ...base, auth: { type: 'm.login.password', identifier: { type: 'm.id.user', user: 'alice' }, password: 'wrong' } })));
    assert.equal(wrong.errcode, 'M_FORBIDDEN');
    assert.deepEqual(limiter.failures, ['@alice:hs.test']);
    const other = challengeBody(await runUserInteractiveAuth(request(api, { ...base, auth: { type: 'm.login.password', session: 's1', identifier: { type: 'm.id.user', user: 'bob' }, password: 'right' } })));
    assert.equal(other.errcode, 'M_FORBIDDEN', "another user's identifier is refused");
    const legacy = await runUserInteractiveAuth(request(api, { ...base, auth: { type: 'm.login.password', session: 's1', user: '@alice:hs.test', password: 'right' } }));
    assert.equal(legacy.kind, 'complete');
  });

  it('refuses password attempts once the user has no attempts left', async () => {
    const api = fakeUserApi();
    const limiter = countingLimiter();
    limiter.blocked.add('@alice:hs.test');
    await rejects(
      runUserInteractiveAuth(request(api, { flows: PASSWORD, userId: '@alice:hs.test', limiter, auth: { type: 'm.login.password', user: 'alice', password: 'right' } })),
      429,
      'M_LIMIT_EXCEEDED',
    );
  });

  it('refuses a session used for a different request or by a different user', async () => {
    const api = fakeUserApi();
    await runUserInteractiveAuth(request(api, { flows: DUMMY, userId: '@alice:hs.test', body: { devices: ['A'] } }));
    const auth = { type: 'm.login.dummy', session: 's1' };
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, userId: '@alice:hs.test', body: { devices: ['B'] }, auth })), 403, 'M_FORBIDDEN');
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, userId: '@bob:hs.test', body: { devices: ['A'] }, auth })), 403, 'M_FORBIDDEN');
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, userId: '@alice:hs.test', body: { devices: ['A'] }, url: '/other', auth })), 403, 'M_FORBIDDEN');
    const same = await runUserInteractiveAuth(request(api, { flows: DUMMY, userId: '@alice:hs.test', body: { devices: ['A'] }, auth }));
    assert.equal(same.kind, 'complete');
  });

  it('binds a session begun by an empty probe to the first real body', async () => {
    const api = fakeUserApi();
    await runUserInteractiveAuth(request(api, { flows: DUMMY, body: {} }));
    const auth = { type: 'm.login.dummy', session: 's1' };
    assert.equal((await runUserInteractiveAuth(request(api, { flows: DUMMY, body: { username: 'u' }, auth }))).kind, 'complete');
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, body: { username: 'v' }, auth })), 403, 'M_FORBIDDEN');
  });

  it('treats unknown and expired sessions as unknown, and rejects malformed auth', async () => {
    const api = fakeUserApi();
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.dummy', session: 'nope' } })), 400, 'M_UNKNOWN');
    await runUserInteractiveAuth(request(api, { flows: DUMMY }));
    api.advance(UIA_SESSION_LIFETIME_MS + 1);
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.dummy', session: 's1' } })), 400, 'M_UNKNOWN');
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, auth: 'm.login.dummy' })), 400, 'M_BAD_JSON');
    await rejects(runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 5 } })), 400, 'M_BAD_JSON');
  });

  it('refuses stage types outside the flows', async () => {
    const api = fakeUserApi();
    const body = challengeBody(await runUserInteractiveAuth(request(api, { flows: DUMMY, auth: { type: 'm.login.recaptcha' } })));
    assert.equal(body.errcode, 'M_FORBIDDEN');
    assert.equal(body.completed, undefined);
  });
});
