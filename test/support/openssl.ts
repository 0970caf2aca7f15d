// Test helper: a CA and certificates made with the real openssl CLI, so TLS tests use the same files operators have.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestCa {
  dir: string;
  caCert: string;
  caKey: string;
  /** Issues a certificate signed by this CA; days < 0 gives one that has already expired. */
  issue(name: string, options: { sans: string[]; days?: number; clientAuth?: boolean }): Promise<{ cert: string; key: string }>;
  remove(): Promise<void>;
}

/** A new P-256 key, unencrypted: the key every certificate here gets. */
const NEW_EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function makeTestCa(prefix = 'ea8-ca-'): Promise<TestCa> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const caKey = join(dir, 'ca-key.pem');
  const caCert = join(dir, 'ca.pem');
  await execa('openssl', ['req', '-x509', ...NEW_EC_KEY, '-keyout', caKey, '-out', caCert, '-days', '3650', '-subj', '/CN=etcd-advisor test CA']);
  return {
    dir,
    caCert,
    caKey,
    async issue(name, { sans, days = 365, clientAuth = true }) {
      const key = join(dir, `${name}-key.pem`);
      const csr = join(dir, `${name}.csr`);
      const cert = join(dir, `${name}.pem`);
      const ext = join(dir, `${name}.ext`);
      await execa('openssl', ['req', ...NEW_EC_KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
      const san = sans.map((s) => (/^[\d.]+$|:/.test(s) ? `IP:${s}` : `DNS:${s}`)).join(',');
      await writeFile(ext, `subjectAltName=${san}\nextendedKeyUsage=serverAuth${clientAuth ? ',clientAuth' : ''}\n`);
      // openssl x509 -days takes only positive values: an expired certificate gets explicit past dates instead.
      const validity = days > 0 ? ['-days', String(days)] : ['-not_before', '20200101000000Z', '-not_after', '20200201000000Z'];
      const x509 = await execa(
        'openssl',
        ['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-extfile', ext, ...validity],
        { reject: false },
      );
      if (x509.failed && days <= 0) {
        // openssl 3.0 has no -not_before/-not_after: backdate with the ca command's -startdate/-enddate.
        await issueExpired(dir, caCert, caKey, csr, ext, cert);
      } else if (x509.failed) {
        throw new Error(String(x509.stderr));
      }
      return { cert, key };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

async function issueExpired(dir: string, caCert: string, caKey: string, csr: string, ext: string, cert: string): Promise<void> {
  const db = join(dir, 'index.txt');
  await writeFile(db, '');
  await writeFile(join(dir, 'serial'), '1000\n');
  const conf = join(dir, 'ca.cnf');
  await writeFile(
    conf,
    `[ca]\ndefault_ca=test\n[test]\ndatabase=${db}\nserial=${join(dir, 'serial')}\nnew_certs_dir=${dir}\ndefault_md=sha256\npolicy=any\ncopy_extensions=copy\n[any]\ncommonName=supplied\n`,
  );
  await execa('openssl', [
    'ca',
    '-batch',
    '-config',
    conf,
    '-cert',
    caCert,
    '-keyfile',
    caKey,
    '-in',
    csr,
    '-out',
    cert,
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20200201000000Z',
    '-extfile',
    ext,
    '-notext',
  ]);
}
