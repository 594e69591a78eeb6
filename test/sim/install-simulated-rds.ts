/**
 * Puts a `SimulatedRds` behind a real `RDSClient`, at the place of the HTTP handler: every
 * request still goes through the client's own stack — serialization, endpoint, signing, the
 * retry strategy (throttling and network errors are retried, with real backoff sleeps, which
 * fake timers make virtual) — and RDS's error answers go through the SDK's own deserializer, so
 * they arrive as the SDK would raise them from real RDS: modeled classes such as
 * `DBInstanceNotFoundFault`, or `RDSServiceException` named after the code
 * (`InvalidParameterCombination`, `Throttling`), with `$fault` and `$metadata.httpStatusCode`.
 * Successful answers skip XML: the simulation's SDK-shaped output is handed over as is.
 */
import { RDSClient, type RDSClientConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-rds';
import { HttpResponse } from '@smithy/core/protocols';
import type { DeserializeHandlerArguments, DeserializeMiddleware, HandlerExecutionContext } from '@smithy/types';
import { Readable } from 'node:stream';
import { RdsServiceError } from './sim-errors.js';
import type { SimulatedRds } from './simulated-rds.js';

const XMLNS = 'http://rds.amazonaws.com/doc/2014-10-31/';
const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const body = (xml: string): Readable => Readable.from([Buffer.from(xml)]);

let requestIds = 0;
const requestId = (): string => `sim-${(requestIds += 1).toString().padStart(8, '0')}`;

/** RDS's XML error document (awsQuery protocol), for the SDK's deserializer to read. */
function errorResponse(error: RdsServiceError): HttpResponse {
  const id = requestId();
  const type = error.httpStatus >= 500 ? 'Receiver' : 'Sender';
  const xml = `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`;
  return new HttpResponse({
    statusCode: error.httpStatus,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    body: body(xml),
  });
}

/** An empty success document; the simulation's output replaces what the deserializer reads from it. */
function okResponse(command: string): HttpResponse {
  const id = requestId();
  const xml = `<${command}Response xmlns="${XMLNS}"><${command}Result/><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></${command}Response>`;
  return new HttpResponse({ statusCode: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id }, body: body(xml) });
}

const commandOf = (context: HandlerExecutionContext): string => String(context.commandName ?? '').replace(/Command$/, '');

/**
 * Installs `sim` behind `client` (only that client instance). Returns the client. The client
 * needs a region and credentials that need no lookup; `simulatedRdsClient` makes such a client.
 */
export function installSimulatedRds(client: RDSClient, sim: SimulatedRds): RDSClient {
  const outputs = new WeakMap<HandlerExecutionContext, unknown>();
  // Innermost, where the HTTP handler would send the request: RDS answers here.
  const transport: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (_next, context) => async (args: DeserializeHandlerArguments<ServiceInputTypes>) => {
      const command = commandOf(context);
      try {
        outputs.set(context, sim.handle(command, args.input));
        return { response: okResponse(command), output: {} as ServiceOutputTypes };
      } catch (error) {
        if (error instanceof RdsServiceError) return { response: errorResponse(error), output: {} as ServiceOutputTypes };
        throw error; // a network error, as Node's HTTP handler would reject
      }
    };
  // Just outside the deserializer: the simulation's output, with the SDK's $metadata.
  const answer: DeserializeMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next, context) => async (args) => {
    const result = await next(args);
    if (outputs.has(context)) {
      const output = outputs.get(context) as ServiceOutputTypes;
      outputs.delete(context);
      return { ...result, output: { ...output, $metadata: result.output?.$metadata ?? {} } };
    }
    return result;
  };
  client.middlewareStack.add(transport, { step: 'deserialize', priority: 'low', name: 'simulatedRdsTransport' });
  client.middlewareStack.addRelativeTo(answer, { relation: 'before', toMiddleware: 'deserializerMiddleware', name: 'simulatedRdsAnswer' });
  return client;
}

/**
 * An `RDSClient` configured like the production one (composition.ts: adaptive retries, 4
 * attempts) with everything it would otherwise look up given (region, dummy credentials, app
 * id), and `sim` installed behind it.
 */
export function simulatedRdsClient(sim: SimulatedRds, config: Partial<RDSClientConfig> = {}): RDSClient {
  const client = new RDSClient({
    region: sim.region,
    credentials: { accessKeyId: 'ASIASIMULATEDRDS0000', secretAccessKey: 'simulated', sessionToken: 'simulated' },
    retryMode: 'adaptive',
    maxAttempts: 4,
    userAgentAppId: 'trapheus-sim',
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    ...config,
  });
  return installSimulatedRds(client, sim);
}
