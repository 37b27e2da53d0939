/**
 * Sandbox FHIR server benchmark: start-up time of the generated data set (with and
 * without the large patient), then p50/p95 latency over HTTP of the first
 * Observation page of 100 on sbx-large and of following its next links, per personality.
 * Run: npx tsx bench/sandbox.ts
 */
import './support/runtime';
import type { Bundle } from '@medplum/fhirtypes';
import { PERSONALITIES } from '../sandbox/contract';
import { createSandboxData } from '../sandbox/data';
import { ensureFhirSchema } from '../sandbox/fhir';
import { startTestFhirServer } from '../sandbox/fhir/test-server';
import { percentile } from './support/stats';

const RUNS = 30;
const NEXT_PAGES = 20;

function fmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
}

async function main(): Promise<void> {
  const [, schemaMs] = await timed(() => Promise.resolve(ensureFhirSchema()));
  console.log(`FHIR definitions loaded: ${fmt(schemaMs)}`);
  const [, smallMs] = await timed(() => createSandboxData({ largePatient: false }));
  console.log(`data set without sbx-large: ${fmt(smallMs)}`);
  const [{ repo }, largeMs] = await timed(() => createSandboxData({ largePatient: true }));
  console.log(`data set with sbx-large:    ${fmt(largeMs)}`);

  console.log(
    `\nObservation?patient=sbx-large&category=vital-signs&_sort=-date&_count=100 (${RUNS} runs; next: ${NEXT_PAGES} pages)`,
  );
  console.log('personality  first p50   first p95   next p50   next p95');
  for (const personality of PERSONALITIES) {
    const server = await startTestFhirServer(repo, personality);
    const token = server.grant({ clientId: 'bench', scopes: ['user/*.read'] });
    // Only the generic personality honours _sort; the others refuse it as their vendors would.
    const search = `/Observation?patient=sbx-large&category=vital-signs${personality === 'generic' ? '&_sort=-date' : ''}&_count=100`;
    const first: number[] = [];
    const next: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const [bundle, ms] = await timed(
        async () => (await (await server.get(search, token)).json()) as Bundle,
      );
      first.push(ms);
      let url = bundle.link?.find((l) => l.relation === 'next')?.url;
      for (let page = 0; url && page < NEXT_PAGES && run < 3; page++) {
        const [nextBundle, nextMs] = await timed(
          async () => (await (await server.get(url ?? '', token)).json()) as Bundle,
        );
        next.push(nextMs);
        url = nextBundle.link?.find((l) => l.relation === 'next')?.url;
      }
    }
    console.log(
      `${personality.padEnd(12)} ${fmt(percentile(first, 50)).padStart(9)}  ${fmt(percentile(first, 95)).padStart(10)}  ${fmt(percentile(next, 50)).padStart(9)}  ${fmt(percentile(next, 95)).padStart(9)}`,
    );
    await server.close();
  }
}

await main();
