/**
 * Chart data for the 20,000-Observation patient: the app's routes (patient,
 * vitals, labs, problems, range "all") against the same searches done
 * directly with fhirclient's own paging, one run each, the app server's
 * peak memory, and whether the latest blood pressure is right under every
 * personality and range.  Run: npm run bench:chart-data
 */
import './support/runtime';
import { latestBpReport } from './support/latest-bp';
import { routeVsDirect, threadCpuText } from './support/route-vs-direct';
import { startStack } from './support/stack';

const PATIENT = process.env.BENCH_PATIENT ?? 'sbx-large';
const stack = await startStack({
  appPort: Number(process.env.BENCH_APP_PORT ?? 3210),
  sandboxPort: Number(process.env.BENCH_SANDBOX_PORT ?? 4210),
});
try {
  const r = await routeVsDirect(stack, PATIENT);
  console.log(
    `patient ${PATIENT}: ${r.vitalsPoints} vital points, ${r.labResults} lab results through the app; ${r.directObservations} Observations directly`,
  );
  console.log(`through the app's routes: ${r.appMs.toFixed(0)} ms`);
  console.log(`directly with fhirclient paging: ${r.directMs.toFixed(0)} ms`);
  console.log(`ratio app / direct: ${(r.appMs / r.directMs).toFixed(2)} (one run each)`);
  console.log(
    `CPU over the reads: app server ${r.appCpuMs.toFixed(0)} ms, fhirclient's process ${r.directCpuMs.toFixed(0)} ms`,
  );
  console.log(`  the app server's: ${threadCpuText(r.appThreadsMs)}`);
  console.log(
    `  the sandbox EHR's: ${r.ehrCpuForAppMs.toFixed(0)} ms answering the app, ${r.ehrCpuForDirectMs.toFixed(0)} ms answering fhirclient`,
  );
  console.log(`app server peak RSS: ${stack.appPeakRssMiB().toFixed(0)} MiB`);
  await latestBpReport(stack, PATIENT);
} finally {
  await stack.stop();
}
