/** The mpy-cross wrapper: compile to .mpy for ABI 5 or 6, read .mpy headers, and the gen-ota-mpy-cross command. */
export { MpyCode } from "./codes.js";
export { compileMpy, MPY_CROSS_ARCHES, type MpyAbi, type MpyCompileOptions } from "./compile.js";
export { MPY_ARCHES, readMpyHeader, type MpyArch, type MpyHeader } from "./header.js";
export { mpyPathFor, runMpyCrossCli, type CliIo } from "./mpy-cross-cli.js";
