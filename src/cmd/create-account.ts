/**
 * `axon create-account --user NAME [--admin] [--password-file F] [--config FILE]`: creates an
 * account directly in the configured userapi database (migrating it first), so the first admin
 * can exist before any client can register. Without a password file the password is asked for
 * twice on the terminal, without echo.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { loadConfigFile } from '../internal/config/load-config.js';
import { MatrixError } from '../internal/errors/matrix-error.js';
import { DatabasePool } from '../internal/sqlutil/database-pool.js';
import { createUserInternalAPI } from '../userapi/internal/index.js';
import { openUserStorage } from '../userapi/storage/index.js';
import { UsageError } from './parse-args.js';

export interface CreateAccountOptions {
  /** The config file. */
  readonly configPath: string;
  /** A localpart, or a full user ID of this server. */
  readonly user: string;
  readonly admin: boolean;
  /** A file holding the password (one trailing newline is ignored); prompts when absent. */
  readonly passwordFile?: string;
}

/** Creates the account; returns its user ID. Throws UsageError for bad input, MatrixError when taken. */
export async function createAccount(opts: CreateAccountOptions): Promise<string> {
  const config = loadConfigFile(opts.configPath);
  const localpart = localpartFrom(opts.user, config.server_name);
  const password = opts.passwordFile !== undefined ? readPasswordFile(opts.passwordFile) : await promptPasswordTwice();
  if (password.length === 0) throw new UsageError('the password must not be empty');
  const databases = new DatabasePool(config.database);
  try {
    const storage = await openUserStorage(await databases.forComponent('userapi'));
    const api = createUserInternalAPI({ storage, serverName: config.server_name });
    const { account } = await api.performAccountCreation({ localpart, password, accountType: opts.admin ? 'admin' : 'user' });
    return account.userId;
  } finally {
    await databases.closeAll();
  }
}

/** Runs the command from parsed flags; prints the result. */
export async function runCreateAccount(options: Readonly<Record<string, string | true>>, defaultConfig: string): Promise<number> {
  if (typeof options.user !== 'string') throw new UsageError('create-account needs --user NAME');
  try {
    const userId = await createAccount({
      configPath: typeof options.config === 'string' ? options.config : defaultConfig,
      user: options.user,
      admin: options.admin === true,
      passwordFile: typeof options['password-file'] === 'string' ? options['password-file'] : undefined,
    });
    console.log(`created ${userId}${options.admin === true ? ' (admin)' : ''}`);
    return 0;
  } catch (e) {
    if (!(e instanceof MatrixError)) throw e;
    console.error(`axon: ${e.message} (${e.errcode})`);
    return 1;
  }
}

function localpartFrom(user: string, serverName: string): string {
  if (!user.startsWith('@')) return user;
  const suffix = `:${serverName}`;
  if (!user.endsWith(suffix)) throw new UsageError(`${user} is not a user ID of this server (${serverName})`);
  return user.slice(1, -suffix.length);
}

function readPasswordFile(path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (e) {
    throw new UsageError(`cannot read the password file ${path}: ${(e as Error).message}`);
  }
}

async function promptPasswordTwice(): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError('no terminal to ask for the password: use --password-file FILE');
  // One interface for both questions: a second one would miss input the first had buffered.
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  const ask = async (question: string) => {
    process.stderr.write(question);
    muted = true;
    try {
      return await rl.question('');
    } finally {
      muted = false;
      process.stderr.write('\n');
    }
  };
  try {
    const first = await ask('Password: ');
    const second = await ask('Repeat password: ');
    if (first !== second) throw new UsageError('the passwords do not match');
    return first;
  } finally {
    rl.close();
  }
}
