import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const sharedAttack = fileURLToPath(new URL('../shared/attack', import.meta.url));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests read the real ATT&CK bundles from ../shared, never the network.
    env: { TIDEMARK_ATTACK_MIRROR: process.env.TIDEMARK_ATTACK_MIRROR ?? sharedAttack },
  },
});
