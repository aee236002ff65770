/** The record every board file under targets/ exports: the board's facts, never its code. */

export type Filesystem = "fat" | "littlefs2";

/** A .mpy format version: 5 is loaded by firmware 1.12 to 1.18, 6 by 1.19 and later. */
export type MpyAbi = 5 | 6;

export interface Target {
  /** Name used in `boards` and `--board`. */
  name: string;
  /** One line for --help and error hints. */
  description: string;
  /** MicroPython firmware range the generated code must run on. */
  firmware: { min: string; max?: string };
  /** The board's GC heap in bytes (tests run at `-X heapsize=` this, the filesystem mounted in it), and where the figure comes from. */
  heap: { budgetBytes: number; source: string };
  /** Flash the app directory may take (staging needs as much again), and the board's filesystem. */
  flash: {
    budgetBytes: number;
    filesystem: Filesystem;
    blockSize: number;
    /**
     * Other filesystems boards of this kind are met with (ESP32 `ffat` partitions). FAT anywhere
     * here gives the device code the copy switch (no renames); with littlefs2 too, it finds out at boot.
     */
    alsoMet: Filesystem[];
  };
  /** Module names to import on this firmware range (`usocket` on 1.13, `socket` later). */
  modules: {
    socket: string;
    ssl: string;
    hashlib: string;
    binascii: string;
    os: string;
    json: string;
    time: string;
  };
  /**
   * The mpy-cross ABIs the board's supported firmware loads (5 before firmware 1.19, 6 from it;
   * `--mpy` compiles for one, `--mpy-abi` picks where there are two) and the -march name; null:
   * .mpy not importable.
   */
  mpy: { abis: readonly MpyAbi[]; arch: string } | null;
  /** Bytes read from a socket or file at a time: one preallocated buffer. */
  chunkSize: number;
  /** Most bytes of manifest JSON the device will accept. */
  maxManifestBytes: number;
  /**
   * Most bytes of an HTTP header line the device keeps (a longer one is left out, so a redirect
   * with a longer Location fails cleanly): what its heap can follow a redirect with while the
   * largest manifest is held. GitHub's asset redirects name a URL of about 1 KB.
   */
  maxHeaderLineBytes: number;
  /** What the port has. */
  has: {
    /** A TLS module at all. */
    ssl: boolean;
    /** TLS that completes handshakes with GitHub reliably (axTLS on ESP8266 does not). */
    reliableTls: boolean;
    /** A `network.WLAN` station interface. */
    wlan: boolean;
    /** `machine.reset()`. */
    machineReset: boolean;
    /** `os.sync()` does something (FAT). */
    osSync: boolean;
    /** `machine.WDT(timeout=ms)` with a timeout the app sets (ESP8266's is fixed and fed by the OS). */
    watchdog: boolean;
  };
  /** `machine.Timer(id)` for the trial-boot deadline: -1 a virtual timer, 0 a hardware one; null: none. */
  timerId: number | null;
}
