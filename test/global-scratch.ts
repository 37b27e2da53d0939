// Every temporary directory a test makes (audit stores, data directories, PostgreSQL clusters, logs) goes under one
// directory for the run, removed when the run ends, so repeated `npm test` runs do not fill the machine's /tmp.
// Node's os.tmpdir() reads TMPDIR, and the test workers and the processes they start inherit it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(path.join(tmpdir(), 'chart-tests-'));
  // A PostgreSQL cluster started as the postgres user lives below it, so others may pass through (not list).
  chmodSync(root, 0o711);
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    if (process.env.KEEP_TEST_TMP) process.stdout.write(`test scratch kept in ${root}\n`);
    else rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  };
}
