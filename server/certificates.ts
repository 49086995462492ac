/**
 * The secure mode's certificates, made on the laptop without internet: a local certificate
 * authority (CA), made once, and a server certificate it signs for the addresses the room uses.
 * Tablets trust the CA once (see the trust page); the server certificate can then be issued
 * again whenever the laptop's addresses change, without asking the tablets anything.
 *
 * Keys come from Node's own crypto; node-forge only writes and signs the X.509 structures.
 * Everything lives in DATA_DIR/tls, private keys readable by the owner only (0600).
 */
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Ten years: the CA is what tablets trust, and trusting it again is the costly part. */
const CA_DAYS = 3650;
/** Apple refuses server certificates valid for longer than 825 days; a year is well inside. */
const SERVER_DAYS = 397;
/** Issue a new server certificate this long before the old one would expire. */
const RENEW_BEFORE_DAYS = 30;

export interface Certificates {
  /** PEM of the server's private key and certificate, for `https.createServer`. */
  key: string;
  cert: string;
  /** PEM of the CA certificate that tablets install to trust `cert`. */
  caCert: string;
  /** SHA-256 of the CA certificate (DER), as hex pairs: what a careful user can compare on the tablet. */
  caFingerprint: string;
  /** The names and addresses `cert` is valid for. */
  hosts: string[];
  /** What happened on this start, for the start-up message. */
  made: { ca: boolean; server: boolean };
}

/** The names a tablet may use for this laptop: loopback, its host name, its LAN addresses and the public URL's host. */
export function certificateHosts(opts: { lan: readonly string[]; publicUrl?: string | undefined; listenHost?: string }): string[] {
  const hostname = os.hostname().toLowerCase();
  const names = ['localhost', '127.0.0.1', '::1', hostname, `${hostname}.local`, ...opts.lan];
  if (opts.publicUrl) names.push(new URL(opts.publicUrl).hostname.replace(/^\[|\]$/g, ''));
  if (opts.listenHost && opts.listenHost !== '0.0.0.0' && opts.listenHost !== '::') names.push(opts.listenHost);
  return [...new Set(names.filter(Boolean))].sort();
}

/** The CA and a server certificate for `hosts`: the stored ones when still right, otherwise new ones. */
export function loadOrIssueCertificates(dir: string, hosts: readonly string[], now = new Date()): Certificates {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files = {
    caKey: path.join(dir, 'ca.key'),
    caCert: path.join(dir, 'ca.crt'),
    key: path.join(dir, 'server.key'),
    cert: path.join(dir, 'server.crt'),
  };
  const wanted = [...new Set(hosts)].sort();

  let ca = readPair(files.caKey, files.caCert);
  const madeCa = !ca || ca.cert.validity.notAfter.getTime() < now.getTime() + RENEW_BEFORE_DAYS * DAY_MS;
  if (madeCa) {
    ca = issueCa(now);
    writePair(files.caKey, files.caCert, ca);
  }

  let server = readPair(files.key, files.cert);
  const madeServer = madeCa || !server || !serverStillRight(server.cert, ca!.cert, wanted, now);
  if (madeServer) {
    server = issueServer(ca!, wanted, now);
    writePair(files.key, files.cert, server);
  }

  const caPem = forge.pki.certificateToPem(ca!.cert);
  return {
    key: forge.pki.privateKeyToPem(server!.key),
    cert: forge.pki.certificateToPem(server!.cert),
    caCert: caPem,
    caFingerprint: fingerprint(ca!.cert),
    hosts: wanted,
    made: { ca: madeCa, server: madeServer },
  };
}

interface Pair {
  key: forge.pki.rsa.PrivateKey;
  cert: forge.pki.Certificate;
}

function readPair(keyFile: string, certFile: string): Pair | null {
  try {
    return {
      key: forge.pki.privateKeyFromPem(fs.readFileSync(keyFile, 'utf8')),
      cert: forge.pki.certificateFromPem(fs.readFileSync(certFile, 'utf8')),
    };
  } catch {
    // Missing or damaged: a new one is made.
    return null;
  }
}

function writePair(keyFile: string, certFile: string, pair: Pair): void {
  // Written beside and renamed, so a crash never leaves half a key; created 0600, never wider.
  const tmp = `${keyFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, forge.pki.privateKeyToPem(pair.key), { mode: 0o600 });
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, keyFile);
  fs.writeFileSync(certFile, forge.pki.certificateToPem(pair.cert), { mode: 0o644 });
}

function newKey(): forge.pki.rsa.PrivateKey {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
}

function publicKeyOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

/** A positive serial number of 16 random bytes, as browsers expect. */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function issueCa(now: Date): Pair {
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(key);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + CA_DAYS * DAY_MS);
  // The laptop's name and the date make each CA recognisable in a tablet's list of certificates.
  const subject = [
    { name: 'commonName', value: `Tafelronde ${os.hostname()} ${now.toISOString().slice(0, 10)}` },
    { name: 'organizationName', value: 'Tafelronde (lokaal)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { key, cert };
}

function issueServer(ca: Pair, hosts: readonly string[], now: Date): Pair {
  const key = newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKeyOf(key);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(now.getTime() - DAY_MS);
  cert.validity.notAfter = new Date(now.getTime() + SERVER_DAYS * DAY_MS);
  cert.setSubject([{ name: 'commonName', value: hosts.find((h) => !isIP(h)) ?? 'localhost' }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { key, cert };
}

/** The names in a certificate's subjectAltName, in the form `certificateHosts` gives them. */
export function namesIn(cert: forge.pki.Certificate): string[] {
  // node-forge types the extension as {}; tsc needs the cast, the lint rule's reading of the types does not.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
  const ext = cert.getExtension('subjectAltName') as { altNames?: { type: number; value?: string; ip?: string }[] } | undefined;
  return (ext?.altNames ?? []).map((n) => (n.type === 7 ? normaliseIp(n.ip ?? '') : (n.value ?? ''))).sort();
}

/** forge writes IPv6 addresses out in full; compare them the way Node writes them. */
function normaliseIp(ip: string): string {
  if (!ip.includes(':')) return ip;
  return new URL(`http://[${ip}]`).hostname.replace(/^\[|\]$/g, '');
}

function serverStillRight(cert: forge.pki.Certificate, ca: forge.pki.Certificate, hosts: readonly string[], now: Date): boolean {
  if (cert.validity.notAfter.getTime() < now.getTime() + RENEW_BEFORE_DAYS * DAY_MS) return false;
  let signedByCa = false;
  try {
    signedByCa = ca.verify(cert);
  } catch {
    signedByCa = false;
  }
  const names = namesIn(cert);
  return signedByCa && names.length === hosts.length && names.every((n, i) => n === hosts[i]);
}

function fingerprint(cert: forge.pki.Certificate): string {
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  return createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
}
