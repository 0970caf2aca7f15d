// Test runner settings: real etcd and fio runs are slow, and they must not overlap on a 2-core machine.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    reporters: ['default'],
    globalSetup: ['test/support/global-setup.ts'],
  },
});
