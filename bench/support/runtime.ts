/**
 * Imported first by every benchmark: names the runtime and the machine its figures come from. The same code
 * measures differently on another Node.js (the app server's memory on Node.js 24 differed from 22 by 500 MiB until
 * scripts/v8-memory.mjs set V8's flags for it), so a figure without its runtime cannot be compared.
 */
import { availableParallelism, loadavg, totalmem } from 'node:os';

const gib = (bytes: number): string => (bytes / 1024 ** 3).toFixed(0);
console.log(
  `runtime: Node.js ${process.version} (V8 ${process.versions.v8}) on ${process.platform}-${process.arch}, ` +
    `${availableParallelism()} cores, ${gib(totalmem())} GiB, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
);
