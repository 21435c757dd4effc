// Trusting one more certificate authority for https, decided when a client is built: a local stand-in (the
// engine's Azure ML facade) serves a certificate it made itself. NODE_EXTRA_CA_CERTS would do the same, but Node
// reads it only when the process starts, and it would widen trust for every connection of the process.
import { Agent } from 'node:https';
import { readFileSync } from 'node:fs';
import { createDefaultHttpClient, type HttpClient } from '@azure/core-rest-pipeline';
import { createSecureContext, rootCertificates } from 'node:tls';
import { InputError } from '../errors';

/** The PEM text of `file` (COMPUTE_CA_FILE), checked to hold a certificate. */
export function readCaFile(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (e) {
    // fs errors carry a code (ENOENT, EACCES); checked by shape, not class.
    const why = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'unreadable';
    throw new InputError('ConfigInvalid', `COMPUTE_CA_FILE ${file}: ${why}; expected a PEM certificate file.`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new InputError('ConfigInvalid', `COMPUTE_CA_FILE ${file}: expected a PEM certificate (BEGIN CERTIFICATE).`);
  return pem;
}

/**
 * An HttpClient for @azure/core-rest-pipeline that trusts `ca` besides the system's roots on every https request
 * that names no agent of its own; undefined without `ca` (the caller keeps the default client).
 */
export function httpClientTrusting(ca: string | undefined): HttpClient | undefined {
  if (!ca) return undefined;
  // One secure context for every connection. Given `ca` itself, each new TLS connection builds its own context
  // (parsing ~140 root certificates into native memory the JS heap does not see, so GC frees it late): the soak
  // measured the Azure ML host's RSS growing ~20 MiB per real minute that way.
  const secureContext = createSecureContext({ ca: [...rootCertificates, ca] });
  const agent = new Agent({ secureContext, keepAlive: true });
  const inner = createDefaultHttpClient();
  return {
    sendRequest(request) {
      if (!request.agent && request.url.startsWith('https:')) request.agent = agent;
      return inner.sendRequest(request);
    },
  };
}
