// The facade's certificate: made at the first start (a self-signed certificate for 127.0.0.1 and localhost that
// is its own CA) and kept in the data dir, so a client told to trust it (COMPUTE_CA_FILE) keeps trusting it
// across restarts. Microsoft's clients refuse to send a bearer token over plain http: hence HTTPS at all.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface FacadeCertificate {
  cert: string;
  key: string;
  /** The PEM file to trust (the certificate itself). */
  caFile: string;
}

const TEN_YEARS_MS = 3650 * 24 * 3600 * 1000;

export async function facadeCertificate(dir: string): Promise<FacadeCertificate> {
  const caFile = join(dir, 'ca.pem');
  const keyFile = join(dir, 'key.pem');
  if (existsSync(caFile) && existsSync(keyFile))
    return { cert: readFileSync(caFile, 'utf8'), key: readFileSync(keyFile, 'utf8'), caFile };
  const made = await generate([{ name: 'commonName', value: 'batchai-chatops engine (Azure ML facade)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + TEN_YEARS_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, made.private, { mode: 0o600 });
  writeFileSync(caFile, made.cert, { mode: 0o644 });
  return { cert: made.cert, key: made.private, caFile };
}
