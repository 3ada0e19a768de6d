/**
 * What the federation client suites need from the network, all real: a tiny UDP DNS server
 * answering A, AAAA and SRV queries from a table; the test PKI (`../harness/start-federated-pair-pki.ts`:
 * a CA, a leaf it signs, and a rogue self-signed leaf); HTTPS servers on 127.0.0.1 that record what
 * they were sent (Host, SNI, Authorization, body).
 */
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ipToBytes } from '../../src/internal/net/network-guard.js';
import type { TestCert } from '../harness/start-federated-pair-pki.js';

// The PKI lives with the federated pair, which needs it too; re-exported for these suites.
export { createTestPki, opensslUnavailableReason, type TestCert, type TestPki } from '../harness/start-federated-pair-pki.js';

/** The records of one name. */
export interface TestDnsEntry {
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly SRV?: readonly { readonly priority: number; readonly weight: number; readonly port: number; readonly target: string }[];
}

/** A running test DNS server. */
export interface TestDns {
  readonly port: number;
  /** Every question asked, as `TYPE name`. */
  readonly queries: string[];
  /** A resolver pointed at this server only. */
  readonly resolver: Resolver;
  close(): Promise<void>;
}

const TYPES: Record<number, keyof TestDnsEntry> = { 1: 'A', 28: 'AAAA', 33: 'SRV' };

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function rdata(type: keyof TestDnsEntry, value: TestDnsEntry[keyof TestDnsEntry] extends readonly (infer U)[] | undefined ? U : never): Buffer {
  if (type === 'A') return Buffer.from((value as string).split('.').map(Number));
  if (type === 'AAAA') return Buffer.from(ipToBytes(value as string) ?? []);
  const srv = value as { priority: number; weight: number; port: number; target: string };
  const head = Buffer.alloc(6);
  head.writeUInt16BE(srv.priority, 0);
  head.writeUInt16BE(srv.weight, 2);
  head.writeUInt16BE(srv.port, 4);
  return Buffer.concat([head, encodeName(srv.target)]);
}

function answer(query: Buffer, records: Readonly<Record<string, TestDnsEntry>>, log: string[]): Buffer {
  let offset = 12;
  const labels: string[] = [];
  while ((query[offset] ?? 0) !== 0) {
    const len = query[offset] ?? 0;
    labels.push(query.subarray(offset + 1, offset + 1 + len).toString('ascii'));
    offset += len + 1;
  }
  const qtype = query.readUInt16BE(offset + 1);
  const questionEnd = offset + 5;
  const name = labels.join('.').toLowerCase();
  const typeName = TYPES[qtype];
  log.push(`${typeName ?? qtype} ${name}`);
  const entry = records[name];
  const values = (entry && typeName ? entry[typeName] : undefined) ?? [];
  const answers = values.map((v) => {
    const data = rdata(typeName ?? 'A', v as never);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied, RA; NXDOMAIN for unknown names, NOERROR (possibly no data) otherwise.
  header.writeUInt16BE(0x8480 | (query.readUInt16BE(2) & 0x0100) | (entry ? 0 : 3), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, questionEnd), ...answers]);
}

/** Starts a DNS server on 127.0.0.1 answering from `records` (names in lower case, no final dot). */
export async function startTestDns(records: Readonly<Record<string, TestDnsEntry>>): Promise<TestDns> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (msg, rinfo) => {
    socket.send(answer(msg, records, queries), rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return { port, queries, resolver, close: () => new Promise<void>((resolve) => socket.close(() => resolve())) };
}

/** One request as a test HTTPS server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly host: string | undefined;
  /** The SNI the client sent, or `false` for none. */
  readonly sni: string | false;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** What a handler answers. */
export interface TestReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** Never answer (for timeouts). */
  readonly hang?: boolean;
}

/** A running HTTPS server. */
export interface TestHttpsServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  /** TLS connections accepted (including ones whose handshake failed on the client's side). */
  readonly connections: number;
  close(): Promise<void>;
}

/** Starts an HTTPS server on 127.0.0.1 with `cert`, answering with `handler`. */
export async function startHttpsServer(cert: Pick<TestCert, 'key' | 'cert'>, handler: (req: SeenRequest) => TestReply): Promise<TestHttpsServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const got: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        host: req.headers.host,
        sni: (req.socket as TLSSocket).servername ?? false,
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(got);
      const reply = handler(got);
      if (reply.hang) return;
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(body);
    });
  });
  const state = { connections: 0 };
  server.on('connection', () => void state.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
