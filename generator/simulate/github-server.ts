/**
 * The GitHub-like site (github.ts) on a loopback TCP port: reads each request head and writes
 * the raw response bytes the pure handler returns, so a device on a real socket sees exactly
 * what the simulator's in-process socket gives.
 */

import { createServer, type Server, type Socket } from "node:net";
import { answerRaw, headEnd, type GithubSite } from "./github.js";

/** Handles one connection's request head; it owns the socket from then on. */
export type RawRequestHandler = (raw: Buffer, socket: Socket) => void | Promise<void>;

/** A listening server. */
export interface LoopbackServer {
  port: number;
  close(): Promise<void>;
}

/** The default handler: answers with the site's bytes, in one write, then closes. */
export function siteHandler(site: GithubSite, onExchange?: (exchange: ReturnType<typeof answerRaw>) => void, pieceBytes = 128): RawRequestHandler {
  return (raw, socket) => {
    const exchange = answerRaw(site, raw, pieceBytes);
    onExchange?.(exchange);
    socket.end(exchange.response);
  };
}

/** Listens on 127.0.0.1 (and ::1 on the same port when free) on a free port, or on `port`. */
export async function listenLoopback(handler: RawRequestHandler, port = 0): Promise<LoopbackServer> {
  const sockets = new Set<Socket>();
  const listen = (host: string, at: number): Promise<Server | undefined> =>
    new Promise((resolve) => {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => socket.destroy());
        let head = Buffer.alloc(0);
        const onData = (data: Buffer): void => {
          head = Buffer.concat([head, data]);
          if (headEnd(head) < 0 && head.length < 64 * 1024) return;
          socket.off("data", onData);
          Promise.resolve(handler(head, socket)).catch(() => socket.destroy());
        };
        socket.on("data", onData);
      });
      server.once("error", () => resolve(undefined));
      server.listen(at, host, () => resolve(server));
    });
  const main = await listen("127.0.0.1", port);
  if (!main) throw new Error(`gen-ota: cannot listen on 127.0.0.1:${port}`);
  const address = main.address();
  const bound = typeof address === "object" && address ? address.port : 0;
  const servers = [main];
  // "localhost" may resolve to ::1 first; serve it there too when the port is free.
  const v6 = await listen("::1", bound);
  if (v6) servers.push(v6);
  return {
    port: bound,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
