/**
 * A C2SP tlog-witness for the audit store (lib/witness), as its own process
 * with its own data directory: its signing key and, per log, the latest
 * checkpoint it cosigned. Run it on a host the app's operators cannot write
 * to; the app lists it in AUDIT_WITNESSES as "<URL> <vkey>".
 *
 *   WITNESS_LOG_PUBLIC_KEYS=<PEM of the app's audit signing key(s)> \
 *   WITNESS_DATA_DIR=./witness-data WITNESS_PORT=4100 WITNESS_NAME=witness.example.org/w1 \
 *   npx tsx scripts/witness.ts
 *
 * Prints the witness's vkey on start (also written to <data dir>/witness.vkey).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DataDirInUseError, lockDataDir, type DirLock } from '@/lib/audit/dir-lock';
import { cosigner, formatVkey } from '@/lib/witness/cosignature';
import { createWitnessServer } from '@/lib/witness/server';

function fail(message: string): never {
  process.stderr.write(`witness: ${message}\n`);
  process.exit(2);
}

const dataDir = path.resolve(process.env.WITNESS_DATA_DIR ?? './data/witness');
const port = Number(process.env.WITNESS_PORT ?? 4100);
const host = process.env.WITNESS_HOST ?? '127.0.0.1';
const name = process.env.WITNESS_NAME ?? 'localhost/smart-chart-witness';
const pems = process.env.WITNESS_LOG_PUBLIC_KEYS ?? '';
const logKeys = (pems.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g) ?? []).map((p) =>
  createPublicKey(p),
);
if (logKeys.length === 0)
  fail('WITNESS_LOG_PUBLIC_KEYS must hold the PEM public key(s) of the logs to witness');
if (!Number.isInteger(port) || port < 0 || port > 65535)
  fail('WITNESS_PORT must be a port number (0: any free port)');

mkdirSync(dataDir, { recursive: true, mode: 0o700 });
// One process per data directory: two witnesses on one directory could each cosign one of two forks at the same
// size, each having read the state before the other wrote it.
let lock: DirLock;
try {
  lock = lockDataDir(dataDir, { name: 'The witness data directory' });
} catch (e) {
  if (!(e instanceof DataDirInUseError)) throw e;
  fail(e.message);
}
const keyFile = path.join(dataDir, 'witness-key.pem');
try {
  const { privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
} catch (e) {
  if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
}
const privateKey = createPrivateKey(readFileSync(keyFile, 'utf8'));
const vkey = formatVkey(cosigner(name, createPublicKey(privateKey)));
writeFileSync(path.join(dataDir, 'witness.vkey'), `${vkey}\n`);

const server = createWitnessServer({
  name,
  privateKey,
  dataDir,
  originPrefix: 'smart-chart-audit/',
  logKeys,
});
server.on('error', (e: NodeJS.ErrnoException) =>
  fail(`cannot listen on ${host}:${port} (${e.code ?? e.message})`),
);
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  process.stdout.write(`Witness ${name} on http://${host}:${bound} (vkey ${vkey})\n`);
});
const stop = () =>
  server.close(() => {
    lock.release();
    process.exit(0);
  });
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
if (process.env.WITNESS_STOP_ON_STDIN_END === 'true') {
  process.stdin.on('end', stop);
  process.stdin.resume();
}
