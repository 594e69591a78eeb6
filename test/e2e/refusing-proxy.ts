import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { motoEndpoint } from './moto.js';

/** A loopback proxy in front of moto that answers one RDS action with an RDS error of its own. */
export interface RefusingProxy {
  url: string;
  close(): Promise<void>;
}

/**
 * Forwards every request to moto, except `action`, which gets the query protocol's error
 * document for `code` (HTTP 400), as RDS answers a request it refuses — e.g. a restore when it
 * has no capacity of the instance class (InsufficientDBInstanceCapacity), which moto never does.
 */
export async function refusingProxy(action: string, code: string): Promise<RefusingProxy> {
  const target = motoEndpoint();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (new RegExp(`Action=${action}(&|$)`).test(body.toString())) {
        res.writeHead(400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>Refused by the test proxy</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
        );
        return;
      }
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
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
