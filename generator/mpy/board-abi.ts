/**
 * Which .mpy ABI `--mpy` compiles a board's modules for. MicroPython loads .mpy version 5 before
 * firmware 1.19 and version 6 from it, never both: where a board's supported firmware spans the
 * change (ESP8266, from 1.13), a wrong guess stops `import ota` on every board of the fleet, so
 * the user says which with `--mpy-abi`, unless the config's minFirmware leaves one (1.19 or later:
 * ABI 6 alone).
 */
import { firmwareAtLeast } from "../../targets/heap.js";
import type { MpyAbi, Target } from "../../targets/index.js";

/** The firmware each ABI is loaded by, for messages. */
const FIRMWARE_OF: Record<MpyAbi, string> = { 5: "1.12 to 1.18", 6: "1.19 and later" };

/** The first firmware that loads ABI 6. */
const ABI6_FROM = "1.19";

/**
 * What mpy-cross compiles `target`'s modules with, given `--mpy-abi` (null: not given) and the
 * config's minFirmware (the oldest firmware the boards run, if it says); or why nothing can.
 */
export function chooseMpyAbi(target: Target, requested: MpyAbi | null, minFirmware?: string): { abi: MpyAbi; arch: string } | { problem: string; hint: string } {
  if (!target.mpy) return { problem: `${target.name} firmware cannot import .mpy files`, hint: "drop --mpy for this board" };
  const { arch } = target.mpy;
  const abis = fleetMpyAbis(target.mpy.abis, minFirmware);
  const loads = abis.map((abi) => `ABI ${abi} (firmware ${FIRMWARE_OF[abi]})`).join(", ");
  if (requested !== null) {
    if (abis.includes(requested)) return { abi: requested, arch };
    const whose = abis.length < target.mpy.abis.length ? `boards on minFirmware ${minFirmware}` : `${target.name}'s supported firmware`;
    return { problem: `--mpy-abi ${requested}: ${whose} load${whose.endsWith("firmware") ? "s" : ""} only ${loads}`, hint: `use --mpy-abi ${abis.at(-1)}, or leave it out` };
  }
  if (abis.length === 1) return { abi: abis[0]!, arch };
  return {
    problem: `--mpy for ${target.name} needs --mpy-abi: its firmware loads ${loads}, and a module of the other ABI does not import`,
    hint: `add --mpy-abi ${abis.join(" or --mpy-abi ")} for the firmware on your boards (\`import sys; sys.implementation\` on the REPL)`,
  };
}

/** The ABIs a fleet's boards load: boards that all run 1.19 or later load ABI 6 alone. */
export function fleetMpyAbis(abis: readonly MpyAbi[], minFirmware: string | undefined): readonly MpyAbi[] {
  return minFirmware !== undefined && firmwareAtLeast(minFirmware, ABI6_FROM) ? abis.filter((abi) => abi === 6) : abis;
}

/** `--mpy-abi`'s value as an ABI, or what is wrong with it. */
export function parseMpyAbi(value: string): { abi: MpyAbi } | { problem: string } {
  if (value === "5" || value === "6") return { abi: Number(value) as MpyAbi };
  return { problem: `--mpy-abi ${value}: the ABIs are 5 (firmware ${FIRMWARE_OF[5]}) and 6 (${FIRMWARE_OF[6]})` };
}
