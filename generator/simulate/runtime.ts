/** What every runtime (embedded WebAssembly, unix port) reports about one boot of the simulated board. */

/** One request as the site answered it. */
export interface SiteRequest {
  method: string;
  path: string;
  status: number;
  /** Body bytes sent (framing not counted). */
  bytes: number;
}

/** What a boot runs: main.py as at power-on, or `ota.update()` as an app with `update: "manual"` would. */
export type BootAction = "boot" | "update";

/** How a boot ended. */
export type BootEnd = "returned" | "reset" | "confirmed" | "exception" | "power-cut" | "timeout";

/** The heap a boot used: bytes allocated and never collected (embedded: an upper bound), or the live peak sampled after collections (unix). */
export interface HeapFigure {
  kind: "allocated" | "live";
  bytes: number;
  /** The boot ran out of heap. */
  exhausted?: boolean;
}

/** One boot, as a runtime saw it. */
export interface BootResult {
  /** The device's stdout lines. */
  lines: string[];
  /** Its stderr lines (tracebacks). */
  errors: string[];
  requests: SiteRequest[];
  end: BootEnd;
  /** The last line of an exception that escaped the device code. */
  exception?: string;
  heap: HeapFigure;
}
