import type { ChildProcess } from 'node:child_process';

/** Resolves when the child has exited (at once if it already has). */
export const exited = (c: ChildProcess): Promise<unknown> =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once('exit', r));

/** Kills (SIGKILL) every child a test started and still listed, and waits for each; the list is emptied. */
export async function killAll(children: ChildProcess[]): Promise<void> {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL');
    await exited(c);
  }
}
