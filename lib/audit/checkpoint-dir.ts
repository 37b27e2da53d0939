import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isValidTenant } from './checkpoint';

/**
 * Signed checkpoints copied outside the database. Files are created with the
 * `wx` flag and never rewritten, so the directory only grows. For production
 * point it at write-once storage (see the report / README: an S3 bucket with
 * Object Lock in compliance mode behind the same two operations).
 */
export interface CheckpointSink {
  /** Stores a note; an existing entry for the same tenant and size is left alone. */
  put(tenant: string, size: number, note: string): Promise<void>;
  /** Every stored note of a tenant. */
  list(tenant: string): Promise<string[]>;
  /** The note with the largest tree size, if any. */
  latest(tenant: string): Promise<string | undefined>;
  /** Tenants with at least one stored note. */
  tenants(): Promise<string[]>;
}

const fileName = (size: number): string => `${String(size).padStart(16, '0')}.checkpoint`;

/** Checkpoint file names of a tenant, smallest tree first (names are zero-padded sizes). */
async function names(d: string): Promise<string[]> {
  try {
    return (await readdir(d)).filter((n) => n.endsWith('.checkpoint')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export function directorySink(dir: string): CheckpointSink {
  const tenantDir = (tenant: string): string => {
    // Tenant names are restricted to a safe alphabet, so they cannot escape the directory.
    if (!isValidTenant(tenant)) throw new TypeError('invalid tenant name');
    return path.join(dir, tenant);
  };
  return {
    async put(tenant, size, note) {
      const d = tenantDir(tenant);
      await mkdir(d, { recursive: true, mode: 0o700 });
      // Written under a temporary name and then hard-linked into place: a crash never leaves a
      // half-written checkpoint, and link() refuses to replace an existing one.
      // Random, not only pid and time: two stores in one process may sign the same size in the same millisecond.
      const tmp = path.join(d, `.${fileName(size)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
      await writeFile(tmp, note, { flag: 'wx', mode: 0o400, flush: true });
      try {
        await link(tmp, path.join(d, fileName(size)));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        await unlink(tmp);
      }
    },
    async list(tenant) {
      const d = tenantDir(tenant);
      return Promise.all((await names(d)).map((n) => readFile(path.join(d, n), 'utf8')));
    },
    async latest(tenant) {
      const d = tenantDir(tenant);
      const last = (await names(d)).pop();
      return last === undefined ? undefined : readFile(path.join(d, last), 'utf8');
    },
    async tenants() {
      try {
        return (await readdir(dir, { withFileTypes: true }))
          .filter((e) => e.isDirectory() && isValidTenant(e.name))
          .map((e) => e.name);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw e;
      }
    },
  };
}
