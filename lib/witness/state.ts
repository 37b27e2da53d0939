import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** What a witness remembers of one log: the latest checkpoint it cosigned. */
export interface LogState {
  readonly origin: string;
  readonly size: number;
  /** base64 root hash */
  readonly root: string;
  /** The checkpoint note with the witness's cosignature line appended. */
  readonly cosigned: string;
}

/**
 * One JSON file per log origin in the witness's own data directory, replaced
 * atomically (write, fsync, rename, fsync the directory) before a
 * cosignature leaves the process. Check-and-update runs under a per-origin
 * lock, so two requests cannot roll each other back.
 */
export class WitnessState {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = path.join(dataDir, 'logs');
  }

  private file(origin: string): string {
    return path.join(this.dir, `${createHash('sha256').update(origin).digest('hex')}.json`);
  }

  async read(origin: string): Promise<LogState | undefined> {
    try {
      const s = JSON.parse(await readFile(this.file(origin), 'utf8')) as LogState;
      if (s.origin !== origin || !Number.isSafeInteger(s.size))
        throw new Error(`witness state of ${origin} is corrupt`);
      return s;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(s: LogState): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const target = this.file(s.origin);
    const tmp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(JSON.stringify(s));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    const d = await open(this.dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  }

  /** Runs fn with the log's state, one call per origin at a time. */
  exclusive<T>(origin: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(origin) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(fn);
    this.locks.set(origin, next);
    void next
      .finally(() => {
        if (this.locks.get(origin) === next) this.locks.delete(origin);
      })
      .catch(() => undefined);
    return next;
  }
}
