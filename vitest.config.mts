import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'kernel-lib/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules', 'dist', 'extension', '.venv'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
