/** Device repos for simulate tests: an example in a temporary git repo, tagged v1.2.0 and v1.3.0. */
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The repo's directory; remove it with `removeRepo`. */
export function greenhouseRepo(): string {
  return exampleRepo("greenhouse", "app/lib/valve.py");
}

/** examples/`name` in a temporary git repo, tagged v1.2.0 and v1.3.0 (`changed`, a file of its app, differs); `under`: the folder of the repo it is copied to. */
export function exampleRepo(name: string, changed: string, under = ""): string {
  const dir = mkdtempSync(join(tmpdir(), "gen-ota-simulate-test-"));
  cpSync(join("examples", name), join(dir, under), { recursive: true });
  const git = (...args: string[]): void => void execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=test", ...args], { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "1.2.0");
  git("tag", "v1.2.0");
  appendFileSync(join(dir, under, changed), "\n# 1.3.0: a longer cycle\n");
  git("commit", "-qam", "1.3.0");
  git("tag", "v1.3.0");
  return dir;
}

/** Deletes a repo made by greenhouseRepo. */
export function removeRepo(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
