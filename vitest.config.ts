import { defineConfig } from 'vitest/config';
import { availableParallelism } from 'node:os';
import path from 'node:path';

const alias = {
  '@': path.resolve(import.meta.dirname),
  'server-only': path.resolve(import.meta.dirname, 'test/server-only-stub.ts'),
};

export default defineConfig({
  resolve: { alias },
  test: {
    globalSetup: ['test/global-scratch.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Vitest's default is one file at a time on a two-core machine (cores − 1). Most of the long files start
    // the app, PostgreSQL or a cluster and then wait on them (an idle limit, a crash, a failover), so two
    // files at once still fit two cores, and the suite takes about 480 s there instead of 810 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'lib/**/*.test.ts',
            'sandbox/**/*.test.ts',
            'scripts/**/*.test.ts',
            'test/**/*.test.ts',
            'app/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'components',
          environment: 'jsdom',
          include: ['components/**/*.test.tsx', 'components/**/*.test.ts'],
          setupFiles: ['test/setup-dom.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
