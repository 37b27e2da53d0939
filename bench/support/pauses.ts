import { spawn } from 'node:child_process';

/** Gaps an independent process saw in its own clock ticks: time when nothing on the machine ran for it. */
export interface MachinePauses {
  readonly count: number;
  readonly longestMs: number;
  readonly totalMs: number;
}

/** Ticks every 2 ms and prints each gap over the threshold; it does nothing else, so a gap is not its own work. */
const WATCHER = `
let prev = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - prev > Number(process.argv[1])) process.stdout.write((now - prev).toFixed(1) + '\\n');
  prev = now;
}, 2);
process.stdout.write('ready\\n');
`;

/**
 * Starts a separate process that notes when it was kept from running for more than `thresholdMs`.
 * A latency tail measured in this process means little if the whole machine paused at the same time
 * (a virtual machine whose host runs something else, for one): `stop()` says whether it did.
 */
export async function watchMachinePauses(thresholdMs = 20): Promise<{ stop: () => Promise<MachinePauses> }> {
  const child = spawn(process.execPath, ['-e', WATCHER, String(thresholdMs)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const gaps: number[] = [];
  let buffered = '';
  let ready: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (buffered + chunk).split('\n');
    buffered = lines.pop() ?? '';
    for (const l of lines)
      if (l === 'ready') ready();
      else if (l !== '') gaps.push(Number(l));
  });
  child.once('exit', () => ready());
  await started;
  return {
    stop: () =>
      new Promise((resolve) => {
        // 'close', not 'exit': every gap it printed has been read by then.
        child.once('close', () =>
          resolve({
            count: gaps.length,
            longestMs: gaps.length === 0 ? 0 : Math.max(...gaps),
            totalMs: gaps.reduce((a, b) => a + b, 0),
          }),
        );
        child.kill();
      }),
  };
}
