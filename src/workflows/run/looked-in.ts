import type { ServiceDeps } from '../service.js';

/** Where a preflight looked: the AWS region and, when STS could tell, the account. */
export interface LookedIn {
  region?: string | undefined;
  account?: string | undefined;
}

/** The region and the account (asked of STS once, only now; never fails: unknown is left out). */
export async function lookedIn(deps: Pick<ServiceDeps, 'region' | 'whoAmI'>): Promise<LookedIn> {
  const { account } = deps.whoAmI ? await deps.whoAmI().catch(() => ({ account: undefined })) : { account: undefined };
  return { ...(deps.region ? { region: deps.region } : {}), ...(account ? { account } : {}) };
}

/** "eu-west-1 (account 123456789012)"; "eu-west-1 (account unknown)" when STS could not tell. */
export function describeLookedIn(where: LookedIn): string {
  return `${where.region ?? 'the default region'} (account ${where.account ?? 'unknown'})`;
}
