/**
 * Command-line parsing for `axon`: a subcommand (default `run`) and `--flag value` options.
 * Unknown flags are errors, so a typo never silently falls back to a default.
 */
export interface ParsedArgs {
  readonly command: string;
  readonly options: Readonly<Record<string, string | true>>;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Flags each command accepts; `true` marks a boolean flag. */
const FLAGS: Readonly<Record<string, Readonly<Record<string, 'value' | 'boolean'>>>> = {
  run: { config: 'value', components: 'value' },
  'generate-config': { 'server-name': 'value', database: 'value' },
  'generate-keys': { out: 'value' },
  'create-account': { config: 'value', user: 'value', admin: 'boolean', 'password-file': 'value' },
  help: {},
};

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command = 'run';
  let rest = argv;
  if (argv[0] !== undefined && !argv[0].startsWith('-')) {
    command = argv[0];
    rest = argv.slice(1);
  }
  if (argv.includes('--help') || argv.includes('-h')) return { command: 'help', options: {} };
  const allowed = FLAGS[command];
  if (!allowed) throw new UsageError(`unknown command "${command}"`);
  const options: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] ?? '';
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new UsageError(`unexpected argument "${arg}"`);
    const name = m[1];
    const kind = allowed[name];
    if (!kind) throw new UsageError(`unknown option --${name} for "${command}"`);
    if (kind === 'boolean') {
      options[name] = true;
      continue;
    }
    const value = m[2] ?? rest[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value`);
    options[name] = value;
  }
  return { command, options };
}

export const USAGE = `Usage:
  axon [--config FILE] [--components a,b,…]   run the server (default config: ./data/axon.yaml, created on first run)
  axon generate-config [--server-name NAME] [--database URL]   print a complete commented config
  axon generate-keys --out FILE                write a new ed25519 signing key (Synapse format)
  axon create-account --user NAME [--admin] [--password-file FILE] [--config FILE]
                                               create an account (asks for the password when no file is given)
Components: roomserver, userapi, federationapi, syncapi, clientapi, mediaapi, appservice`;
