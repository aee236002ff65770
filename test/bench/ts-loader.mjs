// Runs the benchmark's TypeScript straight from test/ (as jest does, transpile only), so that
// import.meta.url in test/runtime still points at the test sources: node --import ./test/bench/ts-loader.mjs
import { register } from "node:module";

register("./ts-hooks.mjs", import.meta.url);
