/** Jest runs the TypeScript sources as ESM through ts-jest (transpile only; `tsc` checks types). */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true, isolatedModules: true, tsconfig: "tsconfig.test.json" }],
  },
  // the power and network matrices run many MicroPython processes, through qemu-i386 on some hosts
  testTimeout: 600000,
};
