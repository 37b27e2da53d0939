import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import { cosigner, type Cosigner } from './cosignature';
import { createWitnessServer } from './server';

/** Test-only: a witness server on a free port of 4900-4999 (WITNESS_TEST_PORT_BASE moves the range). */
export interface RunningWitness {
  readonly url: string;
  readonly cosigner: Cosigner;
  readonly dataDir: string;
  close(): Promise<void>;
}

const BASE = Number(process.env.WITNESS_TEST_PORT_BASE ?? 4900);
/**
 * Ports given out in this process, never given again: a client (fetch) may still hold a pooled connection to a
 * witness that was closed on that port, and would send the next request to the restarted one down that dead socket
 * ("other side closed"). Kept on the process, not the module: fetch's connection pool outlives a test file's
 * modules.
 */
const given: Set<number> = ((globalThis as { [k: symbol]: Set<number> | undefined })[
  Symbol.for('smart-chart.test-witness-ports')
] ??= new Set());

function listen(server: Server, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
}

export async function startWitness(o: {
  dataDir: string;
  logKeys: readonly KeyObject[];
  name?: string;
  privateKey?: KeyObject;
}): Promise<RunningWitness> {
  const name = o.name ?? 'witness.test/w1';
  const privateKey = o.privateKey ?? generateKeyPairSync('ed25519').privateKey;
  const start = process.pid + Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = BASE + ((start + i) % 100);
    if (given.has(port)) continue;
    const server = createWitnessServer({
      name,
      privateKey,
      dataDir: o.dataDir,
      originPrefix: 'smart-chart-audit/',
      logKeys: o.logKeys,
    });
    if (await listen(server, port)) {
      given.add(port);
      return {
        url: `http://127.0.0.1:${port}`,
        cosigner: cosigner(name, createPublicKey(privateKey)),
        dataDir: o.dataDir,
        close: () => new Promise((r) => server.close(() => r())),
      };
    }
  }
  throw new Error('no free port for a test witness in 4900-4999 (none is given twice in one process)');
}
