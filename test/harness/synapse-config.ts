/**
 * The homeserver.yaml (as a JSON object) of a test Synapse: see synapse-server.ts for the why of
 * each choice. Kept apart so the choices can be read in one place.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestCert } from './start-federated-pair-pki.js';

/** Where and as whom the test Synapse runs. */
export interface SynapseConfigInput {
  /** Its temp dir (database, media, log, signing key `signing.key`). */
  readonly dir: string;
  readonly ip: string;
  readonly port: number;
  /** `ip:port`. */
  readonly serverName: string;
  /** Its listener's certificate for `ip`. */
  readonly cert: TestCert;
  /** The only CA its federation client trusts. */
  readonly caFile: string;
  readonly sharedSecret: string;
}

/** A limit no test reaches. */
const UNLIMITED = { per_second: 10_000, burst_count: 100_000 };

/** The config object; also writes the logging config it points at into `dir`. */
export function synapseConfig(c: SynapseConfigInput): Record<string, unknown> {
  const logConfig = join(c.dir, 'log.yaml');
  writeFileSync(logConfig, JSON.stringify(loggingConfig(join(c.dir, 'homeserver.log'))));
  return {
    server_name: c.serverName,
    public_baseurl: `https://${c.serverName}/`,
    pid_file: join(c.dir, 'homeserver.pid'),
    signing_key_path: join(c.dir, 'signing.key'),
    media_store_path: join(c.dir, 'media'),
    log_config: logConfig,
    database: { name: 'sqlite3', args: { database: join(c.dir, 'homeserver.db') } },
    listeners: [{
      port: c.port,
      bind_addresses: [c.ip],
      type: 'http',
      tls: true,
      x_forwarded: false,
      resources: [{ names: ['client', 'federation', 'keys'], compress: false }],
    }],
    tls_certificate_path: c.cert.certFile,
    tls_private_key_path: c.cert.keyFile,
    // Verification stays on: the test CA is the only one trusted, as Axon's `federation.ca_file`.
    federation_verify_certificates: true,
    federation_custom_ca_list: [c.caFile],
    // The other servers are on 127/8, which Synapse refuses to reach by default.
    ip_range_whitelist: ['127.0.0.0/8'],
    federation_ip_range_blacklist: [],
    trusted_key_servers: [],
    suppress_key_server_warning: true,
    report_stats: false,
    enable_registration: false,
    registration_shared_secret: c.sharedSecret,
    presence: { enabled: true },
    url_preview_enabled: false,
    enable_metrics: false,
    ...rateLimits(),
  };
}

function rateLimits(): Record<string, unknown> {
  return {
    rc_message: UNLIMITED,
    rc_registration: UNLIMITED,
    rc_login: { address: UNLIMITED, account: UNLIMITED, failed_attempts: UNLIMITED },
    rc_admin_redaction: UNLIMITED,
    rc_joins: { local: UNLIMITED, remote: UNLIMITED },
    rc_joins_per_room: UNLIMITED,
    rc_invites: { per_room: UNLIMITED, per_user: UNLIMITED, per_issuer: UNLIMITED },
    rc_key_requests: UNLIMITED,
    rc_presence: { per_user: UNLIMITED },
    rc_room_creation: UNLIMITED,
    rc_profile: UNLIMITED,
    rc_federation: { window_size: 1000, sleep_limit: 10_000, sleep_delay: 1, reject_limit: 100_000, concurrent: 1000 },
  };
}

/** Python logging to a file; `request` is filled by Synapse's own filter, as in its sample. */
function loggingConfig(file: string): Record<string, unknown> {
  return {
    version: 1,
    formatters: { precise: { format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(request)s - %(message)s' } },
    filters: { context: { '()': 'synapse.logging.context.LoggingContextFilter', request: '' } },
    handlers: { file: { class: 'logging.FileHandler', formatter: 'precise', filename: file, filters: ['context'] } },
    loggers: { synapse: { level: 'INFO' }, 'synapse.storage.SQL': { level: 'WARNING' } },
    root: { level: 'INFO', handlers: ['file'] },
    disable_existing_loggers: false,
  };
}
