/**
 * `npm run bench -- federation`: two federating servers (bench/lib/federation-pair.ts: the
 * compiled `axon` binary twice, HTTPS between 127.0.0.1 and 127.0.0.2 with a test CA).
 * - Setup (not a result): a public room on A of `--members` (10,000) members: its creator and
 *   scripted members joined through A's roomserver internal API (bench/lib/federation-room.ts).
 * - `join_10k_members_ms`: a user of B joins the room through A (`POST /join/{roomId}?via=A`:
 *   make_join, send_join with the whole state, B ingests it) and sends a message; the time from
 *   the join request to the send's 200. B's `/joined_members` must then count everyone.
 * - `inbound_pdus_per_s`: this process, signing as A, pushes `--pdus` (4,000) chained messages
 *   of a member of A to B's `/send` in sequential transactions of 50, after `--warmup` (200)
 *   (bench/lib/federation-inbound.ts); every PDU must be accepted.
 * Each measured phase starts once both servers are quiet (bench/lib/federation-idle.ts): the
 * `*_backlog_ms` extras say how long a server kept working in the background after building
 * the room (A) and after the join answered (B). Details go to stderr; the last line is
 * `{"join_10k_members_ms": …, "inbound_pdus_per_s": …, "build_room_ms": …, "build_backlog_ms": …,
 * "join_backlog_ms": …, "joined_members": …}`.
 */
import { performance } from 'node:perf_hooks';
import { closeClient, intOption, registerUser } from './lib/bench-client.js';
import { buildMessages, clientAs, pushTransactions, startChain } from './lib/federation-inbound.js';
import { waitForIdle } from './lib/federation-idle.js';
import { startFederationBenchPair, type FederationBenchServer } from './lib/federation-pair.js';
import { addScriptedMembers, createPublicRoom, memberId } from './lib/federation-room.js';

const argv = process.argv.slice(2);
const opts = { members: intOption(argv, 'members', 10_000), pdus: intOption(argv, 'pdus', 4000), warmup: intOption(argv, 'warmup', 200) };

const log = (msg: string): void => console.error(`[federation] ${msg}`);

/** Waits until `server` has worked off its background backlog; the wait in ms. */
async function settle(server: FederationBenchServer, what: string): Promise<number> {
  const { idle, waitedMs } = await waitForIdle(server.pid);
  log(`${server.serverName} ${idle ? 'idle' : 'STILL BUSY'} ${waitedMs} ms after ${what}`);
  return waitedMs;
}

const pair = await startFederationBenchPair();
const { a, b } = pair;
const fed = clientAs(a, pair.caFile);
try {
  log(`A = ${a.serverName}, B = ${b.serverName}`);
  const alice = await registerUser(a.clientUrl, 'alice');
  const roomId = await createPublicRoom(alice);
  const buildStart = performance.now();
  let lastReport = buildStart;
  const scripted = opts.members - 1;
  await addScriptedMembers(a, roomId, scripted, (done) => {
    if (performance.now() - lastReport < 5000 && done < scripted) return;
    lastReport = performance.now();
    log(`built ${done + 1}/${opts.members} members (${((lastReport - buildStart) / 1000).toFixed(1)} s)`);
  });
  const buildMs = performance.now() - buildStart;
  log(`room ${roomId} with ${opts.members} members built in ${(buildMs / 1000).toFixed(1)} s`);
  // A's consumers (sync, federation sender, directory) still work off the joins: not the join's cost.
  const buildBacklogMs = await settle(a, 'building');

  const bob = await registerUser(b.clientUrl, 'bob');
  const joinStart = performance.now();
  const joined = await bob.call('POST', `/join/${encodeURIComponent(roomId)}?via=${encodeURIComponent(a.serverName)}`, {});
  const joinedAt = performance.now();
  if (joined.room_id !== roomId) throw new Error(`join answered ${JSON.stringify(joined)}`);
  const sent = await bob.call('PUT', `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/first`, { msgtype: 'm.text', body: 'hello from B' });
  const joinMs = performance.now() - joinStart;
  if (typeof sent.event_id !== 'string') throw new Error(`send answered ${JSON.stringify(sent)}`);
  log(`joined in ${(joinedAt - joinStart).toFixed(0)} ms, first send answered ${(performance.now() - joinedAt).toFixed(0)} ms later`);

  const members = await bob.call('GET', `/rooms/${encodeURIComponent(roomId)}/joined_members`);
  const joinedMembers = Object.keys((members.joined as Record<string, unknown> | undefined) ?? {}).length;
  log(`B's /joined_members: ${joinedMembers}`);
  // The room's members and bob.
  if (joinedMembers !== opts.members + 1) throw new Error(`B counts ${joinedMembers} joined members, expected ${opts.members + 1}`);

  // B's consumers still digest the join's 10,000 state events; the inbound figure starts from quiet.
  const [joinBacklogB] = await Promise.all([settle(b, 'the join'), settle(a, 'the join')]);
  const chain = await startChain(fed.client, b, alice, roomId, memberId(a, 0), sent.event_id);
  const warm = buildMessages(chain, fed.key, a.serverName, opts.warmup);
  const measured = buildMessages(chain, fed.key, a.serverName, opts.pdus);
  await pushTransactions(fed.client, a, b, warm);
  const seconds = await pushTransactions(fed.client, a, b, measured);
  log(`inbound: ${opts.pdus} PDUs in ${seconds.toFixed(2)} s (${opts.pdus / 50} transactions of 50)`);

  console.log(
    JSON.stringify({
      join_10k_members_ms: Math.round(joinMs),
      inbound_pdus_per_s: Math.round(opts.pdus / seconds),
      build_room_ms: Math.round(buildMs),
      build_backlog_ms: buildBacklogMs,
      join_backlog_ms: joinBacklogB,
      joined_members: joinedMembers,
    }),
  );
} finally {
  closeClient();
  await fed.client.close();
  await pair.stop();
}
