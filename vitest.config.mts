import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'kernel-lib/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'extension', '.venv'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Files run one at a time: several tests time real processes and sockets, and these machines have 2 cores.
    fileParallelism: false,
    reporters: ['default'],
  },
});
