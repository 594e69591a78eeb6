import type { CompositionInput } from '../composition.js';
import type { ServiceDeps } from '../workflows/service.js';
import type { Output } from './output.js';

/** Builds the service dependencies; tests inject fakes here instead of the AWS SDK. */
export interface DepsFactory {
  service(input: CompositionInput): Promise<ServiceDeps>;
  journal(input: Pick<CompositionInput, 'flags' | 'env'>): Promise<Pick<ServiceDeps, 'journal' | 'locks'>>;
}

/** Everything a command reads from the outside world. */
export interface CliContext {
  output: Output;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  version: string;
  deps: DepsFactory;
}

/** The real factory: the composition root, imported only when a command needs it. */
export const compositionDeps: DepsFactory = {
  async service(input) {
    const { buildServiceDeps } = await import('../composition.js');
    return buildServiceDeps(input);
  },
  async journal(input) {
    const { buildJournalDeps } = await import('../composition.js');
    return buildJournalDeps(input);
  },
};
