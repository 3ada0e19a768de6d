/**
 * The server side of `bench/wake-floor.ts`: bare `node:http` that parks every `GET /sync` and,
 * when `PUT /send` arrives, answers all of them at once with a small JSON body shaped like a
 * sync answer carrying one message. No storage, no framework, no work: only what any Node HTTP
 * server must do per answer. Prints its port on stdout.
 */
import http from 'node:http';

const body = JSON.stringify({
  next_batch: 's1_2_3',
  rooms: { join: { '!room:bench.test': { timeline: { events: [{ type: 'm.room.message', sender: '@s:bench.test', content: { msgtype: 'm.text', body: 'wake' } }], limited: false } } } },
  padding: 'x'.repeat(700),
});
let parked: http.ServerResponse[] = [];
const server = http.createServer((req, res) => {
  req.resume();
  if (req.url?.startsWith('/send')) {
    const woken = parked;
    parked = [];
    for (const r of woken) r.writeHead(200, { 'content-type': 'application/json' }).end(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    return;
  }
  parked.push(res);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(typeof addr === 'object' && addr ? addr.port : '');
});
