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
export interface StoredNote {
  /** Where the note is, for reports (a file path or an object key). */
  readonly file: string;
  /** The tree size its name claims; a note must hold exactly this size. */
  readonly size: number;
  readonly note: string;
}

export interface CheckpointSink {
  /** Stores a note; an existing entry for the same tenant and size is left alone. */
  put(tenant: string, size: number, note: string): Promise<void>;
  /** Every stored note of a tenant. */
  list(tenant: string): Promise<string[]>;
  /**
   * Every stored note of a tenant with its file name and the size that name claims, smallest first;
   * with `last`, only that many under the largest names (a signer starting up reads the newest, not
   * every note the log ever had).
   */
  entries(tenant: string, last?: number): Promise<StoredNote[]>;
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

/** Files read at once: a tenant's directory can hold far more notes than a process may open files. */
const READ_AT_ONCE = 64;

/** The notes of one tenant's directory (the `last` under the largest names), smallest first. */
async function readNotes(d: string, last?: number): Promise<StoredNote[]> {
  const all = await names(d);
  const chosen = last === undefined ? all : all.slice(Math.max(0, all.length - last));
  const out: StoredNote[] = new Array<StoredNote>(chosen.length);
  let next = 0;
  const reader = async (): Promise<void> => {
    while (next < chosen.length) {
      const i = next++;
      const n = chosen[i] as string;
      const file = path.join(d, n);
      out[i] = { file, size: Number(n.slice(0, -'.checkpoint'.length)), note: await readFile(file, 'utf8') };
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_AT_ONCE, chosen.length) }, reader));
  return out;
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
      return (await readNotes(tenantDir(tenant))).map((e) => e.note);
    },
    entries: (tenant, last) => readNotes(tenantDir(tenant), last),
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
