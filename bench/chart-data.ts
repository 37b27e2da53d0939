/**
 * Chart data for the 20,000-Observation patient: the app's routes (patient,
 * vitals, labs, problems, range "all") against the same searches done
 * directly with fhirclient's own paging, in alternating pairs (BENCH_PAIRS,
 * 3 by default: one pair alone says little on a shared machine) with their
 * medians, the app server's peak memory, and whether the latest blood
 * pressure is right under every personality and range.
 * Run: npm run bench:chart-data
 */
import './support/runtime';
import { latestBpReport } from './support/latest-bp';
import { routeVsDirect, threadCpuText } from './support/route-vs-direct';
import { startStack } from './support/stack';
import { median } from './support/stats';

const PATIENT = process.env.BENCH_PATIENT ?? 'sbx-large';
const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS ?? 3));
const stack = await startStack({
  appPort: Number(process.env.BENCH_APP_PORT ?? 3210),
  sandboxPort: Number(process.env.BENCH_SANDBOX_PORT ?? 4210),
});
try {
  const app: number[] = [];
  const direct: number[] = [];
  for (let i = 1; i <= PAIRS; i++) {
    const r = await routeVsDirect(stack, PATIENT);
    app.push(r.appMs);
    direct.push(r.directMs);
    if (i === 1)
      console.log(
        `patient ${PATIENT}: ${r.vitalsPoints} vital points, ${r.labResults} lab results through the app; ${r.directObservations} Observations directly`,
      );
    console.log(
      `pair ${i}: the app's routes ${r.appMs.toFixed(0)} ms, fhirclient's paging ${r.directMs.toFixed(0)} ms, ratio ${(r.appMs / r.directMs).toFixed(2)}`,
    );
    console.log(
      `  CPU: app server ${r.appCpuMs.toFixed(0)} ms (${threadCpuText(r.appThreadsMs)}), fhirclient's process ${r.directCpuMs.toFixed(0)} ms; the sandbox EHR ${r.ehrCpuForAppMs.toFixed(0)} ms answering the app, ${r.ehrCpuForDirectMs.toFixed(0)} ms answering fhirclient`,
    );
  }
  const ratios = app.map((a, i) => a / (direct[i] as number));
  console.log(`through the app's routes: ${median(app).toFixed(0)} ms (median of ${PAIRS})`);
  console.log(`directly with fhirclient paging: ${median(direct).toFixed(0)} ms (median of ${PAIRS})`);
  console.log(`ratio app / direct: ${median(ratios).toFixed(2)} (median of ${PAIRS} pairs)`);
  console.log(`app server peak RSS: ${stack.appPeakRssMiB().toFixed(0)} MiB`);
  await latestBpReport(stack, PATIENT);
} finally {
  await stack.stop();
}
