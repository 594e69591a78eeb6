/** A running moto server. */
export interface MotoServer {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}
export function freePort(): Promise<number>;
export function startMoto(options?: { python?: string; timeoutMs?: number }): Promise<MotoServer>;
