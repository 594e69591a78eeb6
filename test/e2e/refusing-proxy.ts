import { motoProxy, type MotoProxy } from './moto-proxy.js';

/**
 * A proxy in front of moto that answers `action` with the query protocol's error document for
 * `code` (HTTP 400), as RDS answers a request it refuses — e.g. a restore when it has no capacity
 * of the instance class (InsufficientDBInstanceCapacity), which moto never does.
 */
export function refusingProxy(action: string, code: string): Promise<MotoProxy> {
  return motoProxy((request) => {
    if (request.action !== action) return request.forward();
    request.res.writeHead(400, { 'content-type': 'text/xml' });
    request.res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>Refused by the test proxy</Message></Error><RequestId>proxy</RequestId></ErrorResponse>`,
    );
  });
}
