import type { TestProject } from 'vitest/node';
import { startMoto } from '../../scripts/moto-server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

/** Starts one moto server on a free loopback port for the e2e project, and stops it after. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const moto = await startMoto();
  project.provide('motoEndpoint', moto.endpoint);
  return () => moto.stop();
}
