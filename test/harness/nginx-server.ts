/**
 * Runs the shipped sample nginx config (deploy/nginx/axon-polylith.conf) with its listen port and
 * upstream addresses replaced, so tests exercise the very file operators copy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary } from './find-binary.js';
import { freePort } from './free-port.js';
import { stopChild } from './postgres-server.js';
import { REPO_ROOT } from './spawn-axon.js';

export const NGINX_SAMPLE = join(REPO_ROOT, 'deploy/nginx/axon-polylith.conf');

/** Upstream name (without the `axon_` prefix) → `host:port`. */
export type NginxUpstreams = Readonly<Record<'clientapi' | 'syncapi' | 'mediaapi' | 'federationapi', string>>;

export interface NginxServer {
  readonly url: string;
  stop(): Promise<void>;
}

export function nginxUnavailableReason(): string | undefined {
  return findBinary('nginx', ['/usr/sbin']) ? undefined : 'nginx binary not found';
}

/** The sample config with the listen address and upstream servers substituted. */
export function renderNginxSample(port: number, upstreams: NginxUpstreams): string {
  let text = readFileSync(NGINX_SAMPLE, 'utf8').replace(/listen 127\.0\.0\.1:8008;/, `listen 127.0.0.1:${port};`);
  for (const [name, addr] of Object.entries(upstreams)) {
    const re = new RegExp(`(upstream axon_${name}\\s+\\{ server )[^;]+;`);
    if (!re.test(text)) throw new Error(`the nginx sample has no upstream axon_${name}`);
    text = text.replace(re, `$1${addr};`);
  }
  return text;
}

export async function startNginx(upstreams: NginxUpstreams): Promise<NginxServer> {
  const bin = findBinary('nginx', ['/usr/sbin']);
  if (!bin) throw new Error('nginx binary not found');
  const dir = mkdtempSync(join(tmpdir(), 'axon-nginx-'));
  const port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), renderNginxSample(port, upstreams));
  const child: ChildProcess = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${log}`);
    try {
      await fetch(`${url}/health`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`nginx did not start: ${log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    async stop() {
      await stopChild(child, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
