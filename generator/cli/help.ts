/** The --help text: what gen-ota does and how each command is called. */
import { targets } from "../../targets/index.js";

/** Usage of every command, with the boards gen-ota knows. */
export function helpText(version: string): string {
  const boards = [...targets.values()].map((target) => `  ${target.name.padEnd(12)} ${target.description}`).join("\n");
  return `gen-ota ${version}: a MicroPython over-the-air updater, generated from a typed config

Usage:
  gen-ota [--board B]... [--config F] [--out DIR] [--mpy] [--mpy-abi N] [--check]
      Writes ota.py, its ota_*.py modules and main.py for each board into DIR/<board>/
      and prints a budget report (file sizes, and the heap measured by npm run bench, against
      the board's heap and flash budgets).
      --board B    a board from the config (repeat, or a,b); default: every board it names
      --config F   the config file; default ./ota.config.ts
      --out DIR    where to write; default: a "device" folder beside the config
      --mpy        also precompile each module with mpy-cross for the board's mpy ABI
      --mpy-abi N  the .mpy ABI (implies --mpy): 5 for firmware 1.12 to 1.18, 6 for 1.19 and
                   later; needed for esp8266, whose supported firmware loads either,
                   unless the config's minFirmware is 1.19 or later (then 6)
      --check      write nothing; exit 1 listing every file that is stale, missing or extra,
                   and folders of boards the config no longer names (for CI)

  gen-ota init --board B [--repo owner/name] [--app-dir /app] [--dir DIR]
      Scaffolds a device repo: ota.config.ts, the app folder, release and simulate
      workflows, .gitattributes and .gitignore (writes nothing if any exists).

  gen-ota bundle --board B --version X [--config F] [--app DIR] [--out DIR] [--mpy] [--mpy-abi N]
      Writes a folder to copy to a fresh board: the updater, the app at version X with its
      .version, and a template of the secrets file; prints the mpremote commands.

  gen-ota release --tag TAG [--config F] [--out DIR]
                  [--sign-key FILE | --sign-key-env NAME] [--board B]... [--sequence N]
      Writes ota-manifest.json, ota-manifest.sig (signed) and ota-version, the assets
      devices read, from the git tree at TAG (or --dir <app on disk> --version X).
      See gen-ota release --help.

  gen-ota keygen (--out FILE | --stdout) [--public-out FILE]
      Writes a new Ed25519 key pair for signing releases: the private key to FILE (mode
      0600, never inside a git work tree unless gitignored) or stdout, and prints the
      public key for signing.publicKeys.

  gen-ota simulate --board B [--config F] --from <dir|tag> --to <dir|tag>
                   [--power-cut N|all] [--runtime embedded|unix] [--micropython PATH]
                   [--boot-timeout S]
      Runs the board's updater on MicroPython (WebAssembly by default: npm only) against a
      local GitHub-like server publishing both versions; reports each boot, requests, heap,
      power cuts (old/new/broken) and a verdict; exit 1 unless it ends on the new version.
      See gen-ota simulate --help.

  gen-ota mpy-cross [--abi 5|6] [-march=ARCH] [-o OUT] file.py...
      mpy-cross (WebAssembly build) for one ABI; errors name the file and line.

  gen-ota --help | --version

Boards:
${boards}

Exit codes: 0 done, 1 stale files (--check), 2 bad input (config, flags), 3 internal error.
Docs: README.md (config reference, device API), docs/protocol.md (what devices ask and keep).
`;
}
