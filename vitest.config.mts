import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'kernel-lib/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'extension', '.venv'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time on these 2 cores: most of the suite waits on real processes, sockets and timers rather
    // than computing (one at a time: 838 s; two: 509 and 567 s in two runs, every file passing). Tests wait for states, not for time.
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default'],
  },
});
