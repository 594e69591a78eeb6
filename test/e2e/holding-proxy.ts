import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { motoEndpoint } from './moto.js';

/** A loopback proxy in front of moto that can hold requests back (moto answers everything at once). */
export interface HoldingProxy {
  url: string;
  /** Resolves when the first request is held. */
  firstHeld: Promise<void>;
  /** Lets every held request through and stops holding. */
  release(): void;
  close(): Promise<void>;
}

/**
 * Forwards every request to moto, except those `hold(body, seen)` picks: they get no answer
 * until `release()` (or for ever) — a hung call. `seen` lists the actions forwarded so far.
 */
export async function holdingProxy(hold: (body: string, seen: readonly string[]) => boolean): Promise<HoldingProxy> {
  const target = motoEndpoint();
  const seen: string[] = [];
  const held: (() => void)[] = [];
  let holding = true;
  let onHeld: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => (onHeld = resolve));

  const forward = async (req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> => {
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([k]) => !['host', 'content-length', 'connection'].includes(k))
        .map(([k, v]) => [k, String(v)]),
    );
    const answer = await fetch(`${target}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: req.method === 'GET' ? undefined : body,
    });
    res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
    res.end(Buffer.from(await answer.arrayBuffer()));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString();
      const action = /Action=(\w+)/.exec(text)?.[1] ?? '?';
      if (holding && hold(text, seen)) {
        held.push(() => void forward(req, res, body).catch(() => res.destroy()));
        onHeld();
        return;
      }
      seen.push(action);
      void forward(req, res, body).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    firstHeld,
    release: () => {
      holding = false;
      for (const go of held.splice(0)) go();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
