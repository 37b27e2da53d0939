/** Runs the sandbox EHR: `tsx sandbox/main.ts` (or `npm run sandbox`). */
import { loadSandboxConfig } from './config';
import { startSandbox } from './server';

async function main(): Promise<void> {
  const began = performance.now();
  const config = loadSandboxConfig(process.env);
  const sandbox = await startSandbox(config);
  const ms = Math.round(performance.now() - began);
  console.log(
    `Sandbox EHR listening on ${sandbox.url} (bound to ${config.host}:${config.port}), ready in ${ms} ms`,
  );
  console.log(
    `  launch page: ${sandbox.url}/   FHIR bases: ${sandbox.url}/{generic,epic,cerner,athena,nextgen}/fhir`,
  );

  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`Sandbox EHR stopping (${why})`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Sandbox EHR failed to stop cleanly', error instanceof Error ? error.message : error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Started by `npm start` over an IPC channel: it stops when that process ends, however it ends.
  if (process.channel) process.once('disconnect', () => stop('npm start ended'));
}

main().catch((error: unknown) => {
  console.error('Sandbox EHR failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
