import { Kysely, SqliteDialect } from 'kysely';
import SqliteDriver from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
const handle = new SqliteDriver(':memory:');
handle.exec('CREATE TABLE bus_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, xid BIGINT NOT NULL DEFAULT 0, topic TEXT NOT NULL, msg_key TEXT NOT NULL, msg_id TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL)');
const db = new Kysely<any>({ dialect: new SqliteDialect({ database: handle }) });
const rows = Array.from({ length: 1000 }, (_, i) => ({ topic: 'T', msg_key: `k${i % 100}`, msg_id: randomUUID(), payload: '{"b":"' + 'x'.repeat(150) + '"}', created_at: Date.now() }));
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (let i = 0; i < 50; i++) db.insertInto('bus_log').values(rows).compile();
  console.log('compile 1000-row insert', ((performance.now() - t) / 50).toFixed(3), 'ms');
  const c = db.insertInto('bus_log').values(rows).compile();
  t = performance.now();
  for (let i = 0; i < 50; i++) handle.prepare(c.sql);
  console.log('prepare', ((performance.now() - t) / 50).toFixed(3), 'ms');
}
