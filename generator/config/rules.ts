/** Cross-field rules against the boards' target records (03xx): TLS, tokens in clear, Wi-Fi, heap. */
import type { Target } from "../../targets/index.js";
import { heapEstimates, lowestFittingFirmware, measuredHeap, type MeasuredHeap } from "../../targets/heap.js";
import { effectiveEndpoints, isPlainHttp, usesTls, type EffectiveEndpoint } from "./endpoints.js";
import { error, warning, type Issue, type Span } from "./issue.js";
import { property, stringItems, valueOf, type StaticObject } from "./static-value.js";
import { FIRMWARE_VERSION } from "./values.js";

/** Every rule broken by the config's boards together with its endpoints, token and wifi. */
export function checkTargetRules(
  config: StaticObject,
  targets: ReadonlyMap<string, Target>,
  heap: MeasuredHeap = measuredHeap(),
  effective: readonly EffectiveEndpoint[] = effectiveEndpoints(config),
): Issue[] {
  const boards = knownBoards(config, targets);
  const endpoints = effective.filter((endpoint) => /^https?:\/\//i.test(endpoint.template));
  const secure = endpoints.filter((endpoint) => usesTls(endpoint.template));
  const plain = endpoints.filter((endpoint) => isPlainHttp(endpoint.template));
  const issues: Issue[] = [];
  const token = valueOf(config, "token", "secret");
  if (token !== undefined && plain.length > 0) {
    const names = plain.map((endpoint) => endpoint.name).join(", ");
    issues.push(
      warning(
        "GEN_OTA_0301",
        `token sent in clear: endpoints ${names} ${plain.length > 1 ? "are" : "is"} http://`,
        token.span,
        "anyone on the network path can read it: give the mirror a read-only token, or use https:// on boards with TLS",
      ),
    );
  }
  if (secure.length > 0) {
    const names = secure.map((endpoint) => endpoint.name).join(", ");
    const which = `endpoints ${names} ${secure.length > 1 ? "are" : "is"} https://${secure.some((e) => e.span === undefined) ? " (GitHub's defaults)" : ""}`;
    for (const board of boards) {
      if (!board.target.has.ssl) {
        const hint = `point endpoints at a plain-HTTP server (a mirror of the release assets; the manifest's sha256 keeps files intact)`;
        issues.push(error("GEN_OTA_0302", `board '${board.target.name}' has no TLS, but ${which}`, board.span, hint));
      } else if (!board.target.has.reliableTls) {
        const hint =
          "serve the release assets from a plain-HTTP mirror for this board; integrity comes from the manifest's sha256";
        const message = `board '${board.target.name}' has unreliable TLS, and ${which}: downloads may fail`;
        issues.push(warning("GEN_OTA_0303", message, board.span, hint));
      }
    }
  }
  issues.push(...checkCaFileUse(config, boards, secure.length > 0));
  if (token !== undefined && secure.length > 0) issues.push(...checkTokenOverUncheckedTls(config, boards, token.span));
  const wifi = property(config, "wifi");
  const offline = boards.filter((board) => !board.target.has.wlan).map((board) => board.target.name);
  if (wifi !== undefined && offline.length > 0) {
    const hint =
      offline.length === boards.length
        ? "remove wifi, or keep it for boards added later"
        : "the wifi settings still apply to the other boards";
    issues.push(
      warning(
        "GEN_OTA_0304",
        `main.py will skip Wi-Fi on ${offline.join(", ")}: no network.WLAN there`,
        wifi.keySpan,
        hint,
      ),
    );
  }
  issues.push(...checkHeapBudgets(config, boards, heap));
  return issues;
}

/**
 * GEN_OTA_0305: a board on which no output form fits its heap budget on some firmware its boards
 * may run: from the config's minFirmware (default the board's oldest) to the newest the bench
 * measured. The bound is the bench's measured peak (every feature but TLS on, so it bounds any
 * feature set without TLS), grown for the largest manifest the board accepts, plus one chunk; see
 * targets/heap.ts. When it fits on newer firmware than the boards' oldest, the hint says so and
 * how to tell the generator which firmware the boards run.
 */
function checkHeapBudgets(config: StaticObject, boards: readonly BoardUse[], heap: MeasuredHeap): Issue[] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const given = valueOf(config, "minFirmware", "string")?.value;
  // a malformed minFirmware is GEN_OTA_0226; judged here as if absent
  const minFirmware = given !== undefined && FIRMWARE_VERSION.test(given) ? given : undefined;
  const issues: Issue[] = [];
  for (const board of boards) {
    const budget = board.target.heap.budgetBytes;
    const estimates = heapEstimates(board.target, heap, minFirmware);
    if (estimates.length === 0 || estimates.some((estimate) => estimate.bound <= budget)) continue;
    const needs = estimates.map((estimate) => `${kb(estimate.bound)} as .${estimate.form}${estimate.firmware ? ` on ${estimate.firmware}` : ""}`).join(", ");
    const fitsFrom = lowestFittingFirmware(board.target, heap);
    const there = fitsFrom === undefined ? undefined : heapEstimates(board.target, heap, fitsFrom).find((estimate) => estimate.bound <= budget);
    const hint = there
      ? `from ${fitsFrom} the .${there.form} output fits (bounded ${kb(there.bound)}): if every ${board.target.name} you update runs ${fitsFrom} or later, say so with minFirmware: "${fitsFrom}"`
      : `the least heap measured by npm run bench (targets/measured-heap.json), grown for a ${kb(board.target.maxManifestBytes)} manifest, the largest this board accepts; remove the board, or give its target record more heap`;
    issues.push(error("GEN_OTA_0305", `board '${board.target.name}': the updater needs up to ${needs}, over its ${kb(budget)} heap budget`, board.span, hint));
  }
  return issues;
}

/** GEN_OTA_0307: certificate checks asked where they cannot happen. */
function checkCaFileUse(config: StaticObject, boards: readonly BoardUse[], anyHttps: boolean): Issue[] {
  const tls = property(config, "tls");
  if (tls === undefined) return [];
  if (!anyHttps) {
    return [warning("GEN_OTA_0307", "tls.caFile is set, but no endpoint is https://: nothing to check", tls.keySpan, "remove tls, or use https:// endpoints")];
  }
  return boards
    .filter((board) => board.target.has.ssl && !board.target.has.reliableTls)
    .map((board) =>
      warning(
        "GEN_OTA_0307",
        `board '${board.target.name}' cannot check certificates (axTLS): tls.caFile is not used there`,
        board.span,
        "release signatures are what protect this board against a server that is not yours (docs/security.md)",
      ),
    );
}

/** GEN_OTA_0308: a token sent over TLS whose certificate no board checks (no tls.caFile, or axTLS). */
function checkTokenOverUncheckedTls(config: StaticObject, boards: readonly BoardUse[], tokenSpan: Span): Issue[] {
  const caFile = property(config, "tls") !== undefined;
  const unchecked = boards
    .filter((board) => board.target.has.ssl && !(caFile && board.target.has.reliableTls))
    .map((board) => board.target.name);
  if (unchecked.length === 0) return [];
  return [
    warning(
      "GEN_OTA_0308",
      `token sent over TLS that is not checked on ${unchecked.join(", ")}: ${caFile ? "axTLS cannot check certificates" : "tls.caFile is not set"}`,
      tokenSpan,
      "whoever can answer for the server's name can read the token: set tls.caFile to the CA the servers chain to (checked on ESP32 and Pico W from firmware 1.22), and give devices a read-only token",
    ),
  ];
}

interface BoardUse {
  target: Target;
  span: Span;
}

function knownBoards(config: StaticObject, targets: ReadonlyMap<string, Target>): BoardUse[] {
  const seen = new Set<string>();
  const uses: BoardUse[] = [];
  for (const board of stringItems(valueOf(config, "boards", "array"))) {
    const target = targets.get(board.value);
    if (target === undefined || seen.has(board.value)) continue;
    seen.add(board.value);
    uses.push({ target, span: board.span });
  }
  return uses;
}
