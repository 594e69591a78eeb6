import type { RdsGateway } from '../../aws/rds-gateway.js';
import { describeError } from '../../core/errors.js';

/**
 * Refuses a database that is the source or target of a blue/green deployment: renaming it
 * under the deployment would break the switchover. If it cannot be told, says so (a warning).
 */
export async function checkBlueGreen(
  rds: RdsGateway,
  identifier: string,
  arn: string,
  add: { fail: (name: string, detail: string) => void; warn: (name: string, detail: string) => void },
): Promise<void> {
  try {
    const deployment = await rds.describeBlueGreenDeployment(arn);
    if (deployment) {
      add.fail(
        'not in a blue/green deployment',
        `${identifier} takes part in the blue/green deployment ${deployment.identifier} (${deployment.status}); switch over or delete the deployment first.`,
      );
    }
  } catch (error) {
    add.warn('not in a blue/green deployment', `Blue/green deployments could not be listed (${describeError(error).name}); not checked.`);
  }
}
