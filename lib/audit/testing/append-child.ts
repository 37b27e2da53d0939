/**
 * Test-only child process for the crash test: opens the store, prints what
 * verify() finds, then (in append mode) appends forever from several
 * concurrent writers, printing each acknowledged sequence number. The parent
 * kills it with SIGKILL at a random moment.
 */
import { appendFailureCode } from '../errors';
import { createAuditStore, type AuditDatabase } from '../index';
import type { AuditKeys } from '../crypto';
import { readInput } from './store-suite-input';

interface ChildConfig {
  readonly database: AuditDatabase;
  readonly keys: AuditKeys;
  readonly checkpointDir: string;
  readonly tenant: string;
  readonly mode: 'append' | 'check';
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function main(): Promise<void> {
  const config = JSON.parse(process.env.AUDIT_CHILD_CONFIG ?? '{}') as ChildConfig;
  const store = await createAuditStore({
    database: config.database,
    keys: config.keys,
    checkpoints: config.checkpointDir,
    checkpointDelayMs: 50,
    // This test measures what survives a crash, not the signer's latency: on a loaded machine the
    // restart alone can outlast the default 5 s bound for the tail the killed process left unsigned.
    coverageBoundMs: 60_000,
  });
  const report = await store.verify({ tenant: config.tenant });
  say(
    `verify ${report.ok ? 'ok' : 'bad'} ${report.events} ${JSON.stringify(report.tenants[0]?.problems ?? [])}`,
  );
  if (config.mode === 'check') {
    await store.close();
    return;
  }
  // A restart signs the tail the killed process left unsigned (after checking every event of it).
  await store.checkpoint(config.tenant);
  let n = 0;
  const writer = async (): Promise<never> => {
    for (;;) {
      const size = 1 + Math.floor(Math.random() * 20);
      const receipts = await store.append(Array.from({ length: size }, () => readInput(config.tenant, n++)));
      say(`ack ${receipts.map((r) => r.seq).join(' ')}`);
    }
  };
  say('appending');
  await Promise.all(Array.from({ length: 8 }, writer));
}

main().catch((e: unknown) => {
  say(`error ${e instanceof Error ? e.message : 'unknown'} (${appendFailureCode(e) ?? 'no code'})`);
  process.exit(1);
});
