/** Runs an emscripten mpy-cross call without the global `fetch` it trips on, and without the process listeners it leaves. */

/** Process events every emscripten module instance subscribes to (and never unsubscribes from). */
const LEAKED_EVENTS = ["uncaughtException", "unhandledRejection"] as const;

type Listener = (...args: unknown[]) => void;
/** `process` as a plain emitter: its typed overloads take one event name at a time. */
const emitter: NodeJS.EventEmitter = process;

/** Listeners on `event` now, to tell afterwards which ones the task added. */
function snapshot(event: (typeof LEAKED_EVENTS)[number]): Set<Listener> {
  return new Set(emitter.listeners(event) as Listener[]);
}

/**
 * Awaits `task` with `globalThis.fetch` unset (Node 18+ has one, and the emscripten loader then
 * fetches its .wasm by path, which fails), then restores fetch and removes the listeners it added.
 */
export async function withoutFetch<T>(task: () => Promise<T>): Promise<T> {
  const fetchDescriptor = Object.getOwnPropertyDescriptor(globalThis, "fetch");
  const before = LEAKED_EVENTS.map((event) => ({ event, listeners: snapshot(event) }));
  Reflect.deleteProperty(globalThis, "fetch");
  try {
    return await task();
  } finally {
    if (fetchDescriptor !== undefined) Object.defineProperty(globalThis, "fetch", fetchDescriptor);
    for (const { event, listeners } of before) {
      for (const listener of emitter.listeners(event) as Listener[]) {
        if (!listeners.has(listener)) emitter.removeListener(event, listener);
      }
    }
  }
}
