import { motoProxy } from './moto-proxy.js';

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
  const seen: string[] = [];
  const held: (() => void)[] = [];
  let holding = true;
  let onHeld: () => void = () => undefined;
  const firstHeld = new Promise<void>((resolve) => (onHeld = resolve));
  const proxy = await motoProxy((request) => {
    if (holding && hold(request.body, seen)) {
      held.push(request.forward);
      onHeld();
      return;
    }
    seen.push(request.action);
    request.forward();
  });
  return {
    url: proxy.url,
    firstHeld,
    release: () => {
      holding = false;
      for (const go of held.splice(0)) go();
    },
    close: () => proxy.close(),
  };
}
