import { openDatabase } from '../src/internal/sqlutil/open-database.js';
import { createEmbeddedBus } from '../src/internal/bus/embedded/create-embedded-bus.js';
import { startPostgres } from '../test/harness/postgres-server.js';
const server = await startPostgres();
const database = await openDatabase(await server.createDatabase('ping'));
const bus = await createEmbeddedBus({ database });
const topic = { name: 'Ping' };
let waiter: ((t: number) => void) | undefined;
await bus.subscribe<number>({ topic, consumer: 'c', async handler() { waiter?.(performance.now()); } });
const lat: number[] = [];
for (let i = 0; i < 300; i++) {
  const got = new Promise<number>((r) => (waiter = r));
  const t0 = performance.now();
  await bus.publish([{ topic, key: 'k', payload: i }]);
  const t1 = performance.now();
  const t2 = await got;
  lat.push(t2 - t0);
  if (i % 60 === 0) console.log('publish', (t1 - t0).toFixed(2), 'total', (t2 - t0).toFixed(2));
  await new Promise((r) => setTimeout(r, 2));
}
lat.sort((a, b) => a - b);
console.log('p50', lat[150], 'p99', lat[297]);
await bus.close(); await database.close(); await new Promise((r) => setTimeout(r, 200)); await server.stop();
