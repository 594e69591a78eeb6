/**
 * Reads a KMS key policy for what a snapshot export needs, without calling anything.
 *
 * Sources: RDS User Guide, "Exporting DB snapshot data to Amazon S3": "The KMS key policy must
 * include both the kms:CreateGrant and kms:DescribeKey permissions" and "If you have a deny
 * statement in your KMS key policy, make sure to explicitly exclude the AWS service principal
 * export.rds.amazonaws.com"; API reference, StartExportTask `KmsKeyId`: "The caller of this
 * operation must be authorized to run the following operations. These can be set in the AWS KMS
 * key policy: kms:CreateGrant, kms:DescribeKey".
 *
 * What is checked: that an Allow statement gives both actions to the export role — by its ARN,
 * by its account (the root principal `arn:<partition>:iam::<account>:root` or the bare account
 * id, which delegates to IAM), or to `*` — and that no Deny statement takes either away from it
 * without excluding `export.rds.amazonaws.com`.
 *
 * What cannot be checked: conditions (an Allow or Deny with a `Condition` is reported as a
 * warning, except a Deny whose condition names `export.rds.amazonaws.com`); the role's own IAM
 * policies, which must also allow the actions when the key policy delegates to the account
 * (reading them needs IAM calls trapheus does not make); who the caller is (trapheus makes no
 * STS call), so a policy that names the role but not its account gets a warning that the caller
 * needs the two actions too; grants on the key; and service control policies.
 */

/** The actions the key policy must allow. */
export const EXPORT_KEY_ACTIONS = ['kms:CreateGrant', 'kms:DescribeKey'] as const;

const EXPORT_SERVICE = 'export.rds.amazonaws.com';

/** What the key policy means for the export: a refusal, a doubt, or nothing. */
export interface KeyPolicyVerdict {
  problem?: string;
  warning?: string;
}

interface Statement {
  sid: string;
  effect: string;
  principal: unknown;
  notPrincipal: unknown;
  action: string[] | undefined;
  notAction: string[] | undefined;
  conditional: boolean;
  conditionText: string;
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

function statementsOf(policy: unknown): Statement[] | undefined {
  if (typeof policy !== 'object' || policy === null) return undefined;
  const raw = (policy as { Statement?: unknown }).Statement;
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return items
    .filter((s): s is Record<string, unknown> => typeof s === 'object' && s !== null)
    .map((s, i) => ({
      sid: typeof s.Sid === 'string' && s.Sid ? s.Sid : `#${i + 1}`,
      effect: typeof s.Effect === 'string' ? s.Effect : '',
      principal: s.Principal,
      notPrincipal: s.NotPrincipal,
      action: list(s.Action),
      notAction: list(s.NotAction),
      conditional: s.Condition !== undefined && JSON.stringify(s.Condition) !== '{}',
      conditionText: JSON.stringify(s.Condition ?? {}),
    }));
}

/** IAM action patterns: `*` and `?` wildcards, without regard to case. */
function actionMatches(pattern: string, action: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(action);
}

function coversAction(s: Statement, action: string): boolean {
  if (s.action) return s.action.some((p) => actionMatches(p, action));
  if (s.notAction) return !s.notAction.some((p) => actionMatches(p, action));
  return false;
}

/** The principals a statement names: `*`, or its AWS and Service entries. */
function principalsOf(value: unknown): string[] {
  if (value === '*') return ['*'];
  if (typeof value !== 'object' || value === null) return [];
  const { AWS, Service } = value as { AWS?: unknown; Service?: unknown };
  return [...(list(AWS) ?? []), ...(list(Service) ?? [])];
}

/** The role and its account, from `arn:<partition>:iam::<account>:role/<path/name>`. */
function parseRoleArn(roleArn: string): { partition: string; account: string } | undefined {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/.+$/.exec(roleArn);
  return m ? { partition: m[1]!, account: m[2]! } : undefined;
}

type Match = 'role' | 'account' | 'anyone' | undefined;

function principalMatch(names: string[], roleArn: string, role: { partition: string; account: string }): Match {
  const lower = names.map((n) => n.toLowerCase());
  if (lower.includes(roleArn.toLowerCase())) return 'role';
  if (lower.includes(`arn:${role.partition}:iam::${role.account}:root`) || lower.includes(role.account)) return 'account';
  if (lower.includes('*')) return 'anyone';
  return undefined;
}

/** Whether a Deny statement applies to the role (and does not spare the export service). */
function denyApplies(s: Statement, roleArn: string, role: { partition: string; account: string }): boolean {
  if (s.notPrincipal !== undefined) {
    const spared = principalsOf(s.notPrincipal).map((n) => n.toLowerCase());
    return !spared.includes(roleArn.toLowerCase()) && !spared.includes(EXPORT_SERVICE);
  }
  return principalMatch(principalsOf(s.principal), roleArn, role) !== undefined;
}

/** Reads the key policy (GetKeyPolicy's JSON) for what an export with this role needs. */
export function checkKeyPolicy(policyJson: string, keyArn: string, roleArn: string): KeyPolicyVerdict {
  const role = parseRoleArn(roleArn);
  if (!role) return { warning: `Cannot check the policy of KMS key ${keyArn}: ${roleArn} is not an IAM role ARN.` };
  let statements: Statement[] | undefined;
  try {
    statements = statementsOf(JSON.parse(policyJson));
  } catch {
    statements = undefined;
  }
  if (!statements) return { warning: `Cannot check the policy of KMS key ${keyArn}: it is not a JSON policy document.` };

  const missing: string[] = [];
  const doubts: string[] = [];
  // Whether every action is allowed to the role's account or to anyone, so that the caller may be allowed too.
  let callerCovered = true;
  for (const action of EXPORT_KEY_ACTIONS) {
    const denies = statements.filter((s) => s.effect === 'Deny' && coversAction(s, action) && denyApplies(s, roleArn, role));
    const hard = denies.find((s) => !s.conditional);
    if (hard) {
      return {
        problem:
          `The policy of KMS key ${keyArn} denies ${action} to ${roleArn} (statement ${hard.sid}) without excluding ` +
          `${EXPORT_SERVICE}; RDS cannot use the key for the export.`,
      };
    }
    for (const s of denies) {
      if (!s.conditionText.toLowerCase().includes(EXPORT_SERVICE)) doubts.push(`statement ${s.sid} denies ${action} under a condition`);
    }
    const allows = statements
      .filter((s) => s.effect === 'Allow' && coversAction(s, action))
      .map((s) => ({ s, match: principalMatch(principalsOf(s.principal), roleArn, role) }))
      .filter((a) => a.match !== undefined);
    const plain = allows.filter((a) => !a.s.conditional);
    if (plain.length > 0) callerCovered &&= plain.some((a) => a.match !== 'role');
    else if (allows.length > 0) doubts.push(`${action} is allowed only under a condition (statement ${allows[0]!.s.sid})`);
    else missing.push(action);
  }
  if (missing.length > 0) {
    return {
      problem:
        `The policy of KMS key ${keyArn} does not allow ${missing.join(' and ')} to ${roleArn} or to its account ` +
        `(arn:${role.partition}:iam::${role.account}:root); RDS needs kms:CreateGrant and kms:DescribeKey to export with this key.`,
    };
  }
  if (doubts.length > 0) {
    return {
      warning: `The policy of KMS key ${keyArn} may not let the export use it (${doubts.join('; ')}); trapheus cannot evaluate conditions.`,
    };
  }
  if (!callerCovered) {
    return {
      warning:
        `The policy of KMS key ${keyArn} allows kms:CreateGrant and kms:DescribeKey to ${roleArn} but not to its account: ` +
        'the caller of StartExportTask (these credentials) needs them too, and trapheus cannot tell who that is.',
    };
  }
  return {};
}
