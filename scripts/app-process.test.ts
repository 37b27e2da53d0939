import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { appProcessEnv } from './app-process.mjs';

const run = promisify(execFile);

// Keeps a few MiB of parsed JSON alive while parsing more, as a large record's reading does, and prints the largest
// young generation V8 had meanwhile, in MiB.
const ALLOCATE = `
const { getHeapSpaceStatistics } = require('node:v8');
const young = () => getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
const kept = [];
let most = 0;
for (let i = 0; i < 300; i++) {
  kept.push(JSON.parse(JSON.stringify(Array.from({ length: 2000 }, (_, j) => ({ a: j, b: 'x' + j })))));
  if (kept.length > 8) kept.shift();
  most = Math.max(most, young());
}
console.log(most / 1048576);
`;

async function largestYoungGenerationMiB(nodeOptions: string | undefined): Promise<number> {
  const env = { ...process.env, NODE_OPTIONS: nodeOptions };
  if (nodeOptions === undefined) delete env.NODE_OPTIONS;
  const { stdout } = await run(process.execPath, ['-e', ALLOCATE], { env });
  return Number(stdout.trim());
}

describe('the app process environment', () => {
  it('keeps glibc to two memory arenas unless the operator chose otherwise', () => {
    expect(appProcessEnv({}).MALLOC_ARENA_MAX).toBe('2');
    expect(appProcessEnv({ MALLOC_ARENA_MAX: '4' }).MALLOC_ARENA_MAX).toBe('4');
  });

  it("caps V8's young generation from the start, beside the operator's own Node.js options", () => {
    expect(appProcessEnv({}).NODE_OPTIONS).toBe('--max-semi-space-size=4');
    expect(appProcessEnv({ NODE_OPTIONS: ' --enable-source-maps ' }).NODE_OPTIONS).toBe(
      '--enable-source-maps --max-semi-space-size=4',
    );
    expect(appProcessEnv({ NODE_OPTIONS: '--max-semi-space-size=16' }).NODE_OPTIONS).toBe(
      '--max-semi-space-size=16',
    );
  });

  it('holds the young generation at two semi-spaces of 4 MiB on this Node.js, where V8 alone grows it further', async () => {
    const uncapped = await largestYoungGenerationMiB(undefined);
    const capped = await largestYoungGenerationMiB(appProcessEnv({}).NODE_OPTIONS);
    expect(uncapped).toBeGreaterThan(8.5);
    expect(capped).toBeGreaterThan(0);
    expect(capped).toBeLessThanOrEqual(8.5);
  }, 60_000);
});
