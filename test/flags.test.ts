/** The flag reader every gen-ota command shares. */
import { describeFlagProblem, readFlags } from "../generator/flags.js";

const spec = { valued: ["--dir", "--board"], switches: ["--help", "-h"], repeatable: ["--board"] };

test("values come from `--flag value` and `--flag=value`; switches stand alone", () => {
  const read = readFlags(["--dir", "app", "--board=esp32", "--board", "esp8266", "-h"], spec);
  expect(read.values.get("--dir")).toEqual(["app"]);
  expect(read.values.get("--board")).toEqual(["esp32", "esp8266"]);
  expect([...read.switches]).toEqual(["-h"]);
  expect(read.problems).toEqual([]);
});

test("every problem is reported, in order, with the usual wording", () => {
  const read = readFlags(["--dirr", "stray", "--dir", "a", "--dir=b", "--help=1", "--board"], spec);
  expect(read.problems.map(describeFlagProblem)).toEqual([
    "unknown option '--dirr'",
    "unexpected argument 'stray'",
    "--dir is given twice",
    "unknown option '--help'",
    "--board needs a value",
  ]);
  expect(read.given.has("--board")).toBe(true);
});

test("a separate value starting with '-' is a missing value only where the command says so", () => {
  expect(readFlags(["--dir", "-x"], spec).values.get("--dir")).toEqual(["-x"]);
  const strict = readFlags(["--dir", "--help"], { ...spec, dashIsNotAValue: true });
  expect(strict.problems).toEqual([{ kind: "missing-value", flag: "--dir" }]);
  expect([...strict.switches]).toEqual(["--help"]);
});
