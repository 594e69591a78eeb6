import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { motoEndpoint } from './moto.js';

/** One request as a proxy sees it, and how to let it through to moto. */
export interface ProxiedRequest {
  /** The RDS/SES query action (`RestoreDBInstanceFromDBSnapshot`), or `?`. */
  action: string;
  body: string;
  res: ServerResponse;
  /** Sends the request on to moto and its answer back. */
  forward: () => void;
}

/** A loopback proxy in front of moto (which answers everything at once): tests decide per request. */
export interface MotoProxy {
  url: string;
  close(): Promise<void>;
}

/** Starts a loopback proxy that hands every request to `onRequest`. */
export async function motoProxy(onRequest: (request: ProxiedRequest) => void): Promise<MotoProxy> {
  const target = motoEndpoint();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString();
      const forward = (): void => {
        const headers = Object.fromEntries(
          Object.entries(req.headers)
            .filter(([k]) => !['host', 'content-length', 'connection'].includes(k))
            .map(([k, v]) => [k, String(v)]),
        );
        void fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' ? undefined : body })
          .then(async (answer) => {
            res.writeHead(answer.status, Object.fromEntries(answer.headers.entries()));
            res.end(Buffer.from(await answer.arrayBuffer()));
          })
          .catch(() => res.destroy());
      };
      onRequest({ action: /Action=(\w+)/.exec(text)?.[1] ?? '?', body: text, res, forward });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
