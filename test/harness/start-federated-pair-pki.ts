/**
 * A test PKI made with the `openssl` CLI: a CA, leaves it signs (for DNS names and IP
 * addresses), and rogue self-signed leaves no one trusts. Used by the federated pair (each
 * server's HTTPS federation listener) and by the federation client suites. EC P-256, valid 1 day;
 * everything lives in one temporary directory that `dispose()` deletes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why the PKI cannot be made here, or `undefined` if `openssl` works. */
export function opensslUnavailableReason(): string | undefined {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'the openssl CLI is not installed, so no test certificates can be made';
  }
}

/** A key pair and certificate, in PEM and as files. */
export interface TestCert {
  readonly key: string;
  readonly cert: string;
  /** Path of the PEM private key (for `listen.federation.tls_key`). */
  readonly keyFile: string;
  /** Path of the PEM certificate (for `listen.federation.tls_cert`). */
  readonly certFile: string;
}

/** A test certificate authority. */
export interface TestCa {
  /** Path of the CA certificate (for `federation.ca_file`). */
  readonly caFile: string;
  /** A certificate signed by the CA for `dnsNames` and `ips`; `label` names its files (unique per CA). */
  issue(label: string, dnsNames: readonly string[], ips: readonly string[]): TestCert;
  /** A self-signed certificate for the same kind of names, from no trusted CA. */
  selfSigned(label: string, dnsNames: readonly string[], ips: readonly string[]): TestCert;
  /** Deletes every file. */
  dispose(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function subjectAltName(dnsNames: readonly string[], ips: readonly string[]): string {
  return [...dnsNames.map((n) => `DNS:${n}`), ...ips.map((i) => `IP:${i}`)].join(',');
}

/** Creates a CA in a new temporary directory. */
export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), 'axon-test-pki-'));
  const p = (f: string): string => join(dir, f);
  const run = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'ignore' });
  const cert = (label: string): TestCert => ({
    key: readFileSync(p(`${label}.key`), 'utf8'),
    cert: readFileSync(p(`${label}.crt`), 'utf8'),
    keyFile: p(`${label}.key`),
    certFile: p(`${label}.crt`),
  });
  run(['req', '-x509', ...EC, '-days', '1', '-subj', '/CN=Axon Test CA', '-keyout', p('ca.key'), '-out', p('ca.crt'),
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  return {
    caFile: p('ca.crt'),
    issue(label, dnsNames, ips) {
      const cn = dnsNames[0] ?? ips[0] ?? label;
      writeFileSync(p(`${label}.ext`), `subjectAltName=${subjectAltName(dnsNames, ips)}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
      run(['req', ...EC, '-subj', `/CN=${cn}`, '-keyout', p(`${label}.key`), '-out', p(`${label}.csr`)]);
      run(['x509', '-req', '-in', p(`${label}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'), '-CAcreateserial', '-days', '1',
        '-out', p(`${label}.crt`), '-extfile', p(`${label}.ext`)]);
      return cert(label);
    },
    selfSigned(label, dnsNames, ips) {
      const cn = dnsNames[0] ?? ips[0] ?? label;
      run(['req', '-x509', ...EC, '-days', '1', '-subj', `/CN=${cn}`, '-keyout', p(`${label}.key`), '-out', p(`${label}.crt`),
        '-addext', `subjectAltName=${subjectAltName(dnsNames, ips)}`]);
      return cert(label);
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A CA with one leaf it signed and one rogue self-signed leaf for the same names. */
export interface TestPki {
  /** Path of the CA certificate (for `caFile`). */
  readonly caFile: string;
  /** A certificate signed by the CA for the names and IPs asked. */
  readonly leaf: TestCert;
  /** A self-signed certificate for the same names, from no trusted CA. */
  readonly rogue: TestCert;
  dispose(): void;
}

/** Makes a CA and two leaves for `dnsNames` and `ips`. */
export function createTestPki(dnsNames: readonly string[], ips: readonly string[]): TestPki {
  const ca = createTestCa();
  try {
    return { caFile: ca.caFile, leaf: ca.issue('leaf', dnsNames, ips), rogue: ca.selfSigned('rogue', dnsNames, ips), dispose: ca.dispose };
  } catch (e) {
    ca.dispose();
    throw e;
  }
}
