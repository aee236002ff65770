/**
 * The power-cut loop that `gen-ota simulate --power-cut` and the fault tests (test/faults/power.ts)
 * share: run an action with the power cut after K block writes, then boot the device again and
 * again until a boot writes nothing, which is when it has settled. Each boot is handed to the
 * caller's check (the tests check the directories and the journal after every boot); a problem
 * ends the loop. The device and how it boots are the caller's: this module only decides when the
 * loop goes on, when it stops, and what it came to.
 */

/** Boots after a cut before a device that still writes counts as not settled. */
export const SETTLE_LIMIT = 8;

/** What the loop needs of a boot: the block writes it made. */
export interface CountedBoot {
  writes: number;
}

/** How to boot the device while it settles, and how to judge each boot. */
export interface SettleSteps<B extends CountedBoot> {
  /** One power-on of the device. */
  boot(): Promise<B>;
  /**
   * A problem with boot `index` (0 is the first after the cut), or undefined; a problem ends the
   * loop. `settled`: this boot wrote nothing.
   */
  check?(boot: B, index: number, settled: boolean): Promise<string | undefined> | string | undefined;
  /** Default SETTLE_LIMIT. */
  limit?: number;
}

/** What the boots after a cut came to. */
export interface Settling<B> {
  boots: B[];
  /** The last boot wrote nothing (and passed its check). */
  settled: boolean;
  /** The first problem a check found, or "still writing after N boots". */
  problem?: string;
  /** Which boot (1 for the first after the cut) the check found the problem in; undefined when none did. */
  failedBoot?: number;
}

/** Boots until a boot writes nothing, checking each, at most `limit` times. */
export async function settle<B extends CountedBoot>(steps: SettleSteps<B>): Promise<Settling<B>> {
  const limit = steps.limit ?? SETTLE_LIMIT;
  const boots: B[] = [];
  for (let index = 0; index < limit; index++) {
    const boot = await steps.boot();
    boots.push(boot);
    const settled = boot.writes === 0;
    const problem = await steps.check?.(boot, index, settled);
    if (problem !== undefined) return { boots, settled: false, problem, failedBoot: index + 1 };
    if (settled) return { boots, settled: true };
  }
  return { boots, settled: false, problem: `still writing after ${limit} boots` };
}

/**
 * Runs `cut` (the action, with the power cut after K writes; resolves to whether the power was in
 * fact cut), then settles. An action that ended before its K-th write is a problem of the plan,
 * not of the device: nothing is booted.
 */
export async function cutAndSettle<B extends CountedBoot>(cut: () => Promise<boolean>, steps: SettleSteps<B>): Promise<Settling<B> & { powerCut: boolean }> {
  if (!(await cut())) return { powerCut: false, boots: [], settled: false, problem: "the power was not cut: the action made fewer writes" };
  return { powerCut: true, ...(await settle(steps)) };
}
