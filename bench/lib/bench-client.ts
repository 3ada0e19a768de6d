/**
 * The load generator's HTTP: `node:http` with keep-alive, as an efficient client would use (the
 * global `fetch` costs several times more CPU per request in this process, which would be
 * measured as the server's). Every non-200 answer rejects, so an error path never inflates a figure.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/** `method url` with a JSON body; the parsed JSON answer. */
export function request(url: string, method: string, body?: unknown, token?: string): Promise<Record<string, unknown>> {
  const payload = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(payload) };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${method} ${url} -> ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as Record<string, unknown>);
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A registered user with an access token. */
export interface BenchUser {
  readonly userId: string;
  readonly token: string;
  /** `method /_matrix/client/v3<path>` as this user. */
  call(method: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
}

/** Registers `username` (open registration, dummy auth) and logs in. */
export async function registerUser(baseUrl: string, username: string): Promise<BenchUser> {
  const reg = await request(`${baseUrl}/_matrix/client/v3/register`, 'POST', {
    username,
    password: 'bench-password-1',
    auth: { type: 'm.login.dummy' },
  });
  const token = reg.access_token;
  if (typeof token !== 'string') throw new Error(`register returned no access_token: ${JSON.stringify(reg)}`);
  return {
    userId: String(reg.user_id),
    token,
    call: (method, path, body) => request(`${baseUrl}/_matrix/client/v3${path}`, method, body, token),
  };
}

/** Closes the kept-alive sockets so the process can exit. */
export function closeClient(): void {
  agent.destroy();
}

/** `--name=v` or `--name v` as a positive integer, `dflt` when absent. */
export function intOption(argv: readonly string[], name: string, dflt: number): number {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  const raw = i < 0 ? undefined : argv[i]?.includes('=') ? argv[i]?.slice(name.length + 3) : argv[i + 1];
  const v = raw === undefined ? dflt : Number(raw);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}
