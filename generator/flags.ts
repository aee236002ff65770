/** Reads a command's `--flag value`, `--flag=value` and switches from argv: every problem, not just the first. */

export type FlagProblem =
  /** `arg` is no flag of the command (`flag` is its part before any `=`). */
  | { kind: "unknown"; arg: string; flag: string }
  | { kind: "missing-value"; flag: string }
  | { kind: "repeated"; flag: string };

export interface FlagSpec {
  /** Flags that take a value. */
  valued: readonly string[];
  /** Flags that take none, e.g. "--help", "-h". */
  switches: readonly string[];
  /** Valued flags that may be given more than once; any other is a problem the second time. */
  repeatable?: readonly string[];
  /** A separate value starting with "-" is taken as a missing value (`--board --mpy`). */
  dashIsNotAValue?: boolean;
}

export interface ReadFlags {
  /** Every valued flag that appeared, with a value or without. */
  given: Set<string>;
  /** Each valued flag given, with its values in order. */
  values: Map<string, string[]>;
  switches: Set<string>;
  problems: FlagProblem[];
}

/** Splits argv by spec; values of `--flag=value` form only for flags starting with "--". */
export function readFlags(argv: readonly string[], spec: FlagSpec): ReadFlags {
  const read: ReadFlags = { given: new Set(), values: new Map(), switches: new Set(), problems: [] };
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] ?? "";
    const equals = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const flag = equals >= 0 ? arg.slice(0, equals) : arg;
    if (equals < 0 && spec.switches.includes(arg)) {
      read.switches.add(arg);
      continue;
    }
    if (!spec.valued.includes(flag)) {
      read.problems.push({ kind: "unknown", arg, flag });
      continue;
    }
    read.given.add(flag);
    let value = equals >= 0 ? arg.slice(equals + 1) : argv[index + 1];
    if (equals < 0 && value !== undefined && !(spec.dashIsNotAValue && value.startsWith("-"))) index++;
    else if (equals < 0) value = undefined;
    if (value === undefined || value === "") {
      read.problems.push({ kind: "missing-value", flag });
      continue;
    }
    const values = read.values.get(flag) ?? [];
    if (values.length > 0 && !spec.repeatable?.includes(flag)) read.problems.push({ kind: "repeated", flag });
    read.values.set(flag, [...values, value]);
  }
  return read;
}

/** The usual wording of a problem: "unknown option '--x'", "--dir needs a value", "--dir is given twice". */
export function describeFlagProblem(problem: FlagProblem): string {
  switch (problem.kind) {
    case "unknown":
      return problem.arg.startsWith("-") ? `unknown option '${problem.flag}'` : `unexpected argument '${problem.arg}'`;
    case "missing-value":
      return `${problem.flag} needs a value`;
    case "repeated":
      return `${problem.flag} is given twice`;
  }
}
