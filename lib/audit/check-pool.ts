import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { AuditKeys } from './crypto';
import { inspectPageInSlices, type PageCheck } from './event-page';

/**
 * Opens and checks pages of events (decrypt, inflate, compare with the row
 * and the record) for the signer and verify. Pages are independent, so
 * several checking threads work on them side by side; chaining them and the
 * Merkle tree stay with the caller, in order.
 */
export interface EventChecker {
  /** How many pages are worth having in flight at once. */
  readonly parallelism: number;
  /** Checking threads started so far. */
  readonly threads: number;
  inspect(tenant: string, page: Buffer): Promise<PageCheck>;
  /** Starts the checking threads now; resolves with how many are ready (0 when pages are checked inline). */
  warm(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Checks pages in this thread, a slice at a time, so appends and requests are served in between. `deep`: every
 * event's payload is also inflated and compared with its record field by field (event-check.ts).
 */
export function inlineChecker(keys: AuditKeys, deep = false): EventChecker {
  return {
    parallelism: 1,
    threads: 0,
    inspect: (tenant, page) => inspectPageInSlices(keys, tenant, page, 1, deep),
    warm: () => Promise.resolve(0),
    close: () => Promise.resolve(),
  };
}

/**
 * Checking threads default to one per core, at most four: opening an event is most of the work,
 * and this thread, which reads, chains and hashes, waits on the database most of the time.
 * They start only for pages too big to check here.
 */
export const defaultCheckThreads = (): number => Math.max(1, Math.min(4, availableParallelism()));

/** About 50 events: smaller pages are checked in the calling thread. */
export const SMALL_PAGE_BYTES = 64 * 1024;

/**
 * About 1,000 events: the first page this large starts the checking threads (verify starts them itself, with warm).
 * Each thread is an isolate that loads the checking code through the TypeScript loader, about 17 MiB resident once
 * loaded, more while it checks, for as long as the server runs. A quiet server's checkpoints (one event per FHIR
 * request a chart makes: a few dozen to a few hundred) are checked here; a busy server's, and verify's, on the
 * threads. On PostgreSQL the store starts them with the first page over SMALL_PAGE_BYTES instead (store.ts).
 */
export const START_PAGE_BYTES = 1024 * 1024;

/** The worker script and the module it loads, beside this file or, in a bundled server, in the source tree. */
function workerFiles(): { script: string; module: string } | undefined {
  let here: string | undefined;
  try {
    here = path.dirname(fileURLToPath(import.meta.url));
  } catch {
    here = undefined;
  }
  const dirs = [here, path.join(/* turbopackIgnore: true */ process.cwd(), 'lib', 'audit')].filter(
    (d): d is string => !!d,
  );
  for (const dir of dirs) {
    const script = path.join(dir, 'check-worker.mjs');
    const module = path.join(dir, 'event-page.ts');
    if (existsSync(script) && existsSync(module)) return { script, module: pathToFileURL(module).href };
  }
  return undefined;
}

interface Task {
  readonly tenant: string;
  readonly page: Buffer;
  readonly resolve: (r: PageCheck) => void;
  readonly reject: (e: unknown) => void;
}

interface Thread {
  readonly worker: Worker;
  readonly tasks: Map<number, Task>;
  /** Set once the thread has loaded the checking code; until then pages are checked here. */
  ready: boolean;
  readonly started: Promise<void>;
  readonly onReady: () => void;
}

/**
 * Checking threads (node:worker_threads), started on first use; pages are
 * checked in this thread until one is ready. If a thread cannot start or
 * dies, its pages and every later one are checked in this thread instead:
 * slower, never skipped.
 */
export function threadedChecker(
  keys: AuditKeys,
  threads = defaultCheckThreads(),
  startPageBytes = START_PAGE_BYTES,
  deep = false,
): EventChecker {
  const inline = inlineChecker(keys, deep);
  const files = workerFiles();
  let pool: Thread[] | undefined;
  let broken = !files || threads < 1;
  let nextId = 0;

  const fallBack = (thread: Thread) => {
    broken = true;
    thread.onReady();
    for (const task of thread.tasks.values())
      inline.inspect(task.tenant, task.page).then(task.resolve, task.reject);
    thread.tasks.clear();
    void thread.worker.terminate();
  };

  const start = (): Thread[] =>
    Array.from({ length: threads }, () => {
      const options: WorkerOptions = {
        workerData: {
          module: files?.module,
          keys: { hmacKey: keys.hmacKey, encryptionKey: keys.encryptionKey },
          deep,
        },
      };
      // Constructed indirectly: a bundler must not take the script for a worker entry to compile.
      const worker: Worker = Reflect.construct(Worker, [files?.script ?? '', options]);
      let onReady = (): void => undefined;
      const started = new Promise<void>((resolve) => (onReady = resolve));
      const thread: Thread = { worker, tasks: new Map(), ready: false, started, onReady };
      worker.unref();
      worker.on('message', (m: { id: number; ready?: true; result?: PageCheck; error?: string }) => {
        if (m.ready) {
          thread.ready = true;
          thread.onReady();
          return;
        }
        const task = thread.tasks.get(m.id);
        thread.tasks.delete(m.id);
        if (thread.tasks.size === 0) worker.unref();
        if (!task) return;
        if (m.result) task.resolve(m.result);
        else task.reject(new Error(m.error ?? 'page check failed'));
      });
      worker.on('error', () => fallBack(thread));
      worker.on('exit', () => fallBack(thread));
      return thread;
    });

  return {
    parallelism: broken ? 1 : threads,
    get threads() {
      return pool?.length ?? 0;
    },
    inspect(tenant, page) {
      // A few events are checked here sooner than a thread is started or handed them.
      if (broken || page.length < SMALL_PAGE_BYTES) return inline.inspect(tenant, page);
      if (!pool && page.length < startPageBytes) return inline.inspect(tenant, page);
      pool ??= start();
      const ready = pool.filter((t) => t.ready);
      // Starting a thread takes a moment (it loads the checking code): nobody waits for it.
      if (ready.length === 0) return inline.inspect(tenant, page);
      const thread = ready.reduce((a, b) => (b.tasks.size < a.tasks.size ? b : a));
      const id = nextId++;
      // The page is shared, not moved: it is kept here in case the thread dies with it, and
      // shared memory crosses without the two copies a cloned buffer costs. Pages read from
      // PostgreSQL are in shared memory already (driver-pg.ts); others are copied there once.
      const shared =
        page.buffer instanceof SharedArrayBuffer ? page : new Uint8Array(new SharedArrayBuffer(page.length));
      if (shared !== page) shared.set(page);
      return new Promise<PageCheck>((resolve, reject) => {
        thread.tasks.set(id, { tenant, page, resolve, reject });
        // Referenced while it has work, so a process waiting on a check does not exit under it.
        thread.worker.ref();
        thread.worker.postMessage({ id, tenant, page: shared });
      });
    },
    async warm() {
      if (broken) return 0;
      pool ??= start();
      const threads = pool;
      await Promise.all(threads.map((t) => t.started));
      return broken ? 0 : threads.filter((t) => t.ready).length;
    },
    async close() {
      const running = pool ?? [];
      pool = undefined;
      broken = true;
      await Promise.all(
        running.map(async (t) => {
          t.worker.removeAllListeners('exit');
          for (const task of t.tasks.values()) task.reject(new Error('audit store closed'));
          t.tasks.clear();
          await t.worker.terminate();
        }),
      );
    },
  };
}
