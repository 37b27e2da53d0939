// A checking thread of the audit store (check-pool.ts): opens and checks pages of events
// (inspectPage in event-page.ts). It holds the HMAC and encryption keys, never the signing key.
import { parentPort, workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

const { inspectPage } = await tsImport(workerData.module, import.meta.url);

parentPort.on('message', ({ id, tenant, page }) => {
  try {
    const result = inspectPage(workerData.keys, tenant, page, workerData.deep === true);
    parentPort.postMessage({ id, result }, [
      result.seqs.buffer,
      result.leaves.buffer,
      result.prevKinds.buffer,
      result.prevs.buffer,
      result.columnsMatch.buffer,
    ]);
  } catch (e) {
    parentPort.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
parentPort.postMessage({ ready: true });
