/**
 * Sandbox authorization server benchmark: start-up time, then p50/p95 of a complete EHR launch
 * (launch code → authorize with PKCE → token exchange) and of a refresh, and the FHIR server's
 * token lookup. Run: npx tsx bench/sandbox-auth.ts
 */
import './support/runtime';
import { postForm } from '../sandbox/test-support/oauth-client';
import { launchAndExchange, startHarness } from '../sandbox/test-support/harness';
import { percentile } from './support/stats';

const RUNS = 40;

function line(label: string, samples: readonly number[]): string {
  return `${label.padEnd(34)} p50 ${percentile(samples, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(samples, 95).toFixed(1).padStart(6)} ms`;
}

async function main(): Promise<void> {
  const began = performance.now();
  const h = await startHarness();
  console.log(`sandbox started (data without sbx-large): ${(performance.now() - began).toFixed(0)} ms`);
  const launches: number[] = [];
  const refreshes: number[] = [];
  const lookups: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    let t = performance.now();
    const { json } = await launchAndExchange(
      h,
      i % 2 ? 'cerner' : 'epic',
      h.patientA.id,
      'launch openid fhirUser patient/*.read offline_access',
    );
    launches.push(performance.now() - t);
    t = performance.now();
    await postForm(h.sandbox.endpoints.token, {
      grant_type: 'refresh_token',
      refresh_token: String(json.refresh_token),
      client_id: 'smart-chart',
    });
    refreshes.push(performance.now() - t);
    t = performance.now();
    await h.validateToken(String(json.access_token));
    lookups.push(performance.now() - t);
  }
  console.log(`${RUNS} runs`);
  console.log(line('EHR launch (5 HTTP requests)', launches));
  console.log(line('refresh grant', refreshes));
  console.log(line('token lookup (TokenValidator)', lookups));
  await h.close();
}

main().catch((error: unknown) => {
  // The name and message only: a failed request's details are not for the console.
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : 'benchmark failed');
  process.exit(1);
});
