/**
 * The `simnet` JavaScript module behind the embedded runtime's socket shim (py/sim_socket.py):
 * connections whose request bytes, once complete, are answered synchronously by the GitHub-like
 * site (github.ts). Bytes move through the port's memory at the addresses Python passes.
 */

import { answerRaw, headEnd, type Exchange, type GithubSite } from "./github.js";
import type { MicroPython } from "./wasm.js";

const ECONNREFUSED = 111;
const ENOTCONN = 107;
const EAI_NONAME = 2;

/** One request as the simulator logs it. */
export interface NetRequest {
  method: string;
  path: string;
  status: number;
  /** Body bytes sent (framing not counted). */
  bytes: number;
}

/** Names that resolve and the port the site listens on. */
export interface NetOptions {
  hosts: readonly string[];
  port: number;
  /** Body bytes per write (and per chunk); default 128, as the loopback server. */
  pieceBytes?: number;
  /** Called at every socket call with gc.mem_alloc(), and for each request answered. */
  onSample(allocated: number): void;
  onRequest(request: NetRequest): void;
}

interface Connection {
  connected: boolean;
  sent: Buffer[];
  exchange?: Exchange;
  at: number;
}

/** The object registered as the Python module `simnet` for one boot. */
export function simnetModule(mp: MicroPython, site: GithubSite, options: NetOptions): Record<string, (...args: never[]) => number> {
  const memory = mp._module;
  const connections = new Map<number, Connection>();
  let nextId = 1;
  let staged = 0;

  const response = (id: number): { connection: Connection; bytes: Buffer } | number => {
    const connection = connections.get(id);
    if (!connection?.connected) return -ENOTCONN;
    if (!connection.exchange) {
      const raw = Buffer.concat(connection.sent);
      if (headEnd(raw) < 0) return { connection, bytes: Buffer.alloc(0) }; // the request is not complete: nothing to read
      connection.exchange = answerRaw(site, raw, options.pieceBytes ?? 128);
      const { request, reply } = connection.exchange;
      options.onRequest({ method: request?.method ?? "", path: request?.path ?? "", status: reply.status, bytes: request?.method === "HEAD" ? 0 : reply.body.length });
    }
    return { connection, bytes: connection.exchange.response };
  };
  const toMemory = (address: number, bytes: Buffer): void => {
    for (let i = 0; i < bytes.length; i++) memory.setValue(address + i, bytes[i]!, "i8");
  };
  const fromMemory = (address: number, length: number): Buffer => {
    const bytes = Buffer.alloc(length);
    for (let i = 0; i < length; i++) bytes[i] = memory.getValue(address + i, "i8") & 0xff;
    return bytes;
  };
  const stage = (bytes: Buffer): number => {
    staged = memory._malloc(Math.max(1, bytes.length));
    toMemory(staged, bytes);
    return bytes.length;
  };
  const take = (id: number, limit: (rest: Buffer) => number): number => {
    const open = response(id);
    if (typeof open === "number") return open;
    const rest = open.bytes.subarray(open.connection.at);
    const count = limit(rest);
    open.connection.at += count;
    return stage(rest.subarray(0, count));
  };

  return {
    sample: ((allocated: number) => {
      options.onSample(allocated);
      return 0;
    }) as (...args: never[]) => number,
    resolve: ((host: string) => (options.hosts.includes(host) ? 0 : -EAI_NONAME)) as (...args: never[]) => number,
    open: () => {
      const id = nextId++;
      connections.set(id, { connected: false, sent: [], at: 0 });
      return id;
    },
    connect: ((id: number, host: string, port: number) => {
      const connection = connections.get(id);
      if (!connection || !options.hosts.includes(host) || port !== options.port) return -ECONNREFUSED;
      connection.connected = true;
      return 0;
    }) as (...args: never[]) => number,
    send_text: ((id: number, text: string) => {
      const connection = connections.get(id);
      if (!connection?.connected) return -ENOTCONN;
      const bytes = Buffer.from(text, "utf8");
      connection.sent.push(bytes);
      return bytes.length;
    }) as (...args: never[]) => number,
    send: ((id: number, address: number, length: number) => {
      const connection = connections.get(id);
      if (!connection?.connected) return -ENOTCONN;
      connection.sent.push(fromMemory(address, length));
      return length;
    }) as (...args: never[]) => number,
    recv_into: ((id: number, address: number, count: number) => {
      const open = response(id);
      if (typeof open === "number") return open;
      const piece = open.bytes.subarray(open.connection.at, open.connection.at + count);
      toMemory(address, piece);
      open.connection.at += piece.length;
      return piece.length;
    }) as (...args: never[]) => number,
    recv_staged: ((id: number, count: number) => take(id, (rest) => (count < 0 ? rest.length : Math.min(count, rest.length)))) as (...args: never[]) => number,
    recv_line_staged: ((id: number) => take(id, (rest) => (rest.indexOf(10) < 0 ? rest.length : rest.indexOf(10) + 1))) as (...args: never[]) => number,
    staged: () => staged,
    release: () => {
      if (staged) memory._free(staged);
      staged = 0;
      return 0;
    },
    close: ((id: number) => {
      connections.delete(id);
      return 0;
    }) as (...args: never[]) => number,
  };
}
