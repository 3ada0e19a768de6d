/**
 * What the federation client suites need from the network, all real: a tiny UDP DNS server
 * answering A, AAAA and SRV queries from a table; a test PKI made with the `openssl` CLI (a CA,
 * a leaf it signs, and a rogue self-signed leaf); HTTPS servers on 127.0.0.1 that record what
 * they were sent (Host, SNI, Authorization, body).
 */
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { ipToBytes } from '../../src/federationapi/client/network-guard.js';

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

/** Why the PKI cannot be made here, or `undefined` if `openssl` works. */
export function opensslUnavailableReason(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'the openssl CLI is not installed, so no test certificates can be made';
  }
}

/** A key pair and certificate in PEM. */
export interface TestCert {
  readonly key: string;
  readonly cert: string;
}

/** The test PKI. */
export interface TestPki {
  /** Path of the CA certificate (for `caFile`). */
  readonly caFile: string;
  /** A certificate signed by the CA for the names and IPs asked. */
  readonly leaf: TestCert;
  /** A self-signed certificate for the same names, from no trusted CA. */
  readonly rogue: TestCert;
  dispose(): void;
}

/** Makes a CA and two leaves for `dnsNames` and `ips` with `openssl` (EC P-256, valid 1 day). */
export function createTestPki(dnsNames: readonly string[], ips: readonly string[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'axon-fedclient-pki-'));
  const p = (f: string): string => join(dir, f);
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const san = [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((i) => `IP:${i}`)].join(',');
  writeFileSync(p('leaf.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  run(['req', '-x509', ...ec, '-days', '1', '-subj', '/CN=Axon Test CA', '-keyout', p('ca.key'), '-out', p('ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', ...ec, '-subj', `/CN=${dnsNames[0] ?? 'leaf'}`, '-keyout', p('leaf.key'), '-out', p('leaf.csr')]);
  run(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1', '-out', p('leaf.crt'), '-extfile', p('leaf.ext')]);
  run(['req', '-x509', ...ec, '-days', '1', '-subj', `/CN=${dnsNames[0] ?? 'rogue'}`, '-keyout', p('rogue.key'), '-out', p('rogue.crt'), '-addext', `subjectAltName=${san}`]);
  const read = (f: string): string => readFileSync(p(f), 'utf8');
  return {
    caFile: p('ca.crt'),
    leaf: { key: read('leaf.key'), cert: read('leaf.crt') },
    rogue: { key: read('rogue.key'), cert: read('rogue.crt') },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
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
export async function startHttpsServer(cert: TestCert, handler: (req: SeenRequest) => TestReply): Promise<TestHttpsServer> {
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
