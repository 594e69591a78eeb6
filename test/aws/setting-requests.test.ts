import {
  AddRoleToDBInstanceCommand,
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DisableHttpEndpointCommand,
  EnableHttpEndpointCommand,
  ModifyDBClusterCommand,
  ModifyDBInstanceCommand,
  RestoreDBClusterFromSnapshotCommand,
  RestoreDBInstanceFromDBSnapshotCommand,
} from '@aws-sdk/client-rds';
import { beforeEach, describe, expect, it } from 'vitest';
import { RetryableStateError } from '../../src/core/errors.js';
import { defaultClusterConfig, defaultInstanceConfig } from '../fakes/fake-rds.js';
import { cluster, gateway, instance, rds, sdkError, sent } from './rds-mock.js';

beforeEach(() => rds.reset());

const KMS = 'arn:aws:kms:us-east-1:123456789012:key/1111';
const SECRET = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1-AbCdEf';
const ROLE = 'arn:aws:iam::123456789012:role/s3-import';

const restoreInput = () => sent(rds.commandCalls(RestoreDBInstanceFromDBSnapshotCommand)[0]!.args[0].input);
const restoreClusterInput = () => sent(rds.commandCalls(RestoreDBClusterFromSnapshotCommand)[0]!.args[0].input);
const modifyInput = () => sent(rds.commandCalls(ModifyDBInstanceCommand)[0]!.args[0].input);
const modifyClusterInput = () => sent(rds.commandCalls(ModifyDBClusterCommand)[0]!.args[0].input);

describe('settings read from DescribeDBInstances and DescribeDBClusters', () => {
  it('maps the instance settings a restore would lose, leaving out INVALID roles', async () => {
    rds.on(DescribeDBInstancesCommand).resolves({
      DBInstances: [
        instance({
          EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
          NetworkType: 'DUAL',
          DatabaseInsightsMode: 'advanced',
          DedicatedLogVolume: true,
          ProcessorFeatures: [{ Name: 'coreCount', Value: '4' }],
          DomainMemberships: [{ Domain: 'd-1234567890', FQDN: 'corp.example.com', IAMRoleName: 'rds-ad', Status: 'joined' }],
          AssociatedRoles: [
            { RoleArn: ROLE, FeatureName: 's3Import', Status: 'ACTIVE' },
            { RoleArn: 'arn:aws:iam::123456789012:role/gone', FeatureName: 'Lambda', Status: 'INVALID' },
          ],
          MasterUserSecret: { SecretArn: SECRET, SecretStatus: 'active', KmsKeyId: KMS },
        }),
      ],
    });
    expect((await gateway().describeInstance('db1'))?.config).toMatchObject({
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      networkType: 'DUAL',
      databaseInsightsMode: 'advanced',
      dedicatedLogVolume: true,
      processorFeatures: [{ name: 'coreCount', value: '4' }],
      domain: { domain: 'd-1234567890', fqdn: 'corp.example.com', iamRoleName: 'rds-ad' },
      associatedRoles: [{ roleArn: ROLE, featureName: 's3Import' }],
      masterUserSecret: { secretArn: SECRET, kmsKeyId: KMS },
    });
  });

  it.each([
    ['enabled', true],
    ['requested', true],
    ['enabling', true],
    ['disabled', false],
    ['disabling', false],
  ] as const)('maps the cluster settings; write forwarding %s reads %s', async (status, forwarding) => {
    rds.on(DescribeDBClustersCommand).resolves({
      DBClusters: [
        cluster({
          EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
          NetworkType: 'DUAL',
          DatabaseInsightsMode: 'standard',
          HttpEndpointEnabled: true,
          LocalWriteForwardingStatus: status,
          ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 8, SecondsUntilAutoPause: 900 },
          AssociatedRoles: [{ RoleArn: ROLE, FeatureName: 's3Import', Status: 'ACTIVE' }],
          MasterUserSecret: { SecretArn: SECRET, KmsKeyId: KMS },
        }),
      ],
    });
    expect((await gateway().describeCluster('c1'))?.config).toMatchObject({
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      networkType: 'DUAL',
      databaseInsightsMode: 'standard',
      httpEndpointEnabled: true,
      localWriteForwarding: forwarding,
      serverlessV2Scaling: { minCapacity: 0, maxCapacity: 8, secondsUntilAutoPause: 900 },
      associatedRoles: [{ roleArn: ROLE, featureName: 's3Import' }],
      masterUserSecret: { secretArn: SECRET, kmsKeyId: KMS },
    });
  });
});

describe('RestoreDBInstanceFromDBSnapshot carries what it takes', () => {
  beforeEach(() => rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({}));
  const restore = (overrides: Parameters<typeof defaultInstanceConfig>[0]) =>
    gateway().restoreInstance({ identifier: 'db1', snapshotIdentifier: 's1', config: defaultInstanceConfig(overrides) });

  it('sends Extended Support, network type, dedicated log volume and processor features', async () => {
    await restore({
      engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      networkType: 'DUAL',
      dedicatedLogVolume: true,
      processorFeatures: [{ name: 'coreCount', value: '4' }],
    });
    expect(restoreInput()).toMatchObject({
      EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      NetworkType: 'DUAL',
      DedicatedLogVolume: true,
      ProcessorFeatures: [{ Name: 'coreCount', Value: '4' }],
    });
  });

  it('sends no EngineLifecycleSupport for engines it does not apply to, and no DedicatedLogVolume=false', async () => {
    await restore({ engine: 'sqlserver-se', engineLifecycleSupport: 'open-source-rds-extended-support', dedicatedLogVolume: false });
    expect(restoreInput()).not.toHaveProperty('EngineLifecycleSupport');
    expect(restoreInput()).not.toHaveProperty('DedicatedLogVolume');
  });

  it('joins AWS Managed Microsoft AD by directory id and IAM role', async () => {
    await restore({ domain: { domain: 'd-1234567890', fqdn: 'corp.example.com', iamRoleName: 'rds-ad' } });
    const input = restoreInput();
    expect(input).toMatchObject({ Domain: 'd-1234567890', DomainIAMRoleName: 'rds-ad' });
    expect(input).not.toHaveProperty('DomainFqdn');
  });

  it('joins a self-managed AD by FQDN, OU, auth secret and DNS IPs', async () => {
    const domain = {
      fqdn: 'corp.example.com',
      ou: 'OU=db,DC=corp,DC=example,DC=com',
      authSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:ad-join',
      dnsIps: ['10.0.0.10', '10.0.0.11'],
    };
    await restore({ domain });
    const input = restoreInput();
    expect(input).toMatchObject({
      DomainFqdn: domain.fqdn,
      DomainOu: domain.ou,
      DomainAuthSecretArn: domain.authSecretArn,
      DomainDnsIps: domain.dnsIps,
    });
    expect(input).not.toHaveProperty('Domain');
  });

  it('asks for a managed master secret on the restore for Oracle only', async () => {
    const masterUserSecret = { secretArn: SECRET, kmsKeyId: KMS };
    await restore({ engine: 'oracle-ee', masterUserSecret });
    expect(restoreInput()).toMatchObject({ ManageMasterUserPassword: true, MasterUserSecretKmsKeyId: KMS });
    rds.reset();
    rds.on(RestoreDBInstanceFromDBSnapshotCommand).resolves({});
    await restore({ engine: 'postgres', masterUserSecret });
    expect(restoreInput()).not.toHaveProperty('ManageMasterUserPassword');
  });
});

describe('ModifyDBInstance and CreateDBInstance', () => {
  it('turns on Database Insights advanced mode with Performance Insights and its retention', async () => {
    rds.on(ModifyDBInstanceCommand).resolves({});
    await gateway().modifyInstance('db1', { databaseInsightsMode: 'advanced' });
    expect(modifyInput()).toMatchObject({
      DatabaseInsightsMode: 'advanced',
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 465,
    });
  });

  it('turns on the managed master password with the original secret KMS key', async () => {
    rds.on(ModifyDBInstanceCommand).resolves({});
    await gateway().modifyInstance('db1', { masterUserSecret: { secretArn: SECRET, kmsKeyId: KMS } });
    expect(modifyInput()).toEqual({
      DBInstanceIdentifier: 'db1',
      ApplyImmediately: true,
      ManageMasterUserPassword: true,
      MasterUserSecretKmsKeyId: KMS,
    });
  });

  it('creates a member with its own maintenance window', async () => {
    rds.on(CreateDBInstanceCommand).resolves({});
    await gateway().createClusterMember({
      identifier: 'c1-a',
      clusterIdentifier: 'c1',
      config: defaultInstanceConfig({ engine: 'aurora-postgresql', preferredMaintenanceWindow: 'sun:05:00-sun:05:30' }),
    });
    expect(sent(rds.commandCalls(CreateDBInstanceCommand)[0]!.args[0].input)).toMatchObject({
      PreferredMaintenanceWindow: 'sun:05:00-sun:05:30',
    });
  });
});

describe('AddRoleToDBInstance', () => {
  it('associates one role for one feature', async () => {
    rds.on(AddRoleToDBInstanceCommand).resolves({});
    await gateway().addRoleToInstance('db1', { roleArn: ROLE, featureName: 's3Import' });
    expect(sent(rds.commandCalls(AddRoleToDBInstanceCommand)[0]!.args[0].input)).toEqual({
      DBInstanceIdentifier: 'db1',
      RoleArn: ROLE,
      FeatureName: 's3Import',
    });
  });

  it('takes a role already associated (a retry after a lost answer) as done', async () => {
    rds.on(AddRoleToDBInstanceCommand).rejects(sdkError('DBInstanceRoleAlreadyExistsFault'));
    await expect(gateway().addRoleToInstance('db1', { roleArn: ROLE, featureName: 's3Import' })).resolves.toBeUndefined();
  });

  it('reports a busy instance as a state to retry', async () => {
    rds.on(AddRoleToDBInstanceCommand).rejects(sdkError('InvalidDBInstanceStateFault'));
    await expect(gateway().addRoleToInstance('db1', { roleArn: ROLE, featureName: 's3Import' })).rejects.toBeInstanceOf(
      RetryableStateError,
    );
  });
});

describe('RestoreDBClusterFromSnapshot and ModifyDBCluster', () => {
  it('restores with Extended Support, network type, directory, IAM roles and the auto-pause delay', async () => {
    rds.on(RestoreDBClusterFromSnapshotCommand).resolves({});
    await gateway().restoreCluster({
      identifier: 'c1',
      snapshotIdentifier: 'cs1',
      config: defaultClusterConfig({
        engineLifecycleSupport: 'open-source-rds-extended-support-disabled',
        networkType: 'DUAL',
        domain: { domain: 'd-1234567890', fqdn: 'corp.example.com', iamRoleName: 'rds-ad' },
        associatedRoles: [{ roleArn: ROLE, featureName: 's3Import' }],
        serverlessV2Scaling: { minCapacity: 0, maxCapacity: 8, secondsUntilAutoPause: 900 },
      }),
    });
    expect(restoreClusterInput()).toMatchObject({
      EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
      NetworkType: 'DUAL',
      Domain: 'd-1234567890',
      DomainIAMRoleName: 'rds-ad',
      AssociatedRoles: [{ RoleArn: ROLE, FeatureName: 's3Import' }],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0, MaxCapacity: 8, SecondsUntilAutoPause: 900 },
    });
  });

  it('modifies write forwarding, Database Insights (with Performance Insights) and the managed master password', async () => {
    rds.on(ModifyDBClusterCommand).resolves({});
    await gateway().modifyCluster('c1', {
      localWriteForwarding: true,
      databaseInsightsMode: 'advanced',
      masterUserSecret: { secretArn: SECRET, kmsKeyId: KMS },
    });
    expect(modifyClusterInput()).toEqual({
      DBClusterIdentifier: 'c1',
      ApplyImmediately: true,
      EnableLocalWriteForwarding: true,
      DatabaseInsightsMode: 'advanced',
      EnablePerformanceInsights: true,
      PerformanceInsightsRetentionPeriod: 465,
      ManageMasterUserPassword: true,
      MasterUserSecretKmsKeyId: KMS,
    });
  });
});

describe('the Data API', () => {
  it('is enabled with EnableHttpEndpoint on a provisioned or Serverless v2 cluster', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ EngineMode: 'provisioned' })] });
    rds.on(EnableHttpEndpointCommand).resolves({});
    await gateway().setClusterDataApi('c1', true);
    expect(sent(rds.commandCalls(EnableHttpEndpointCommand)[0]!.args[0].input)).toEqual({
      ResourceArn: 'arn:aws:rds:us-east-1:123456789012:cluster:c1',
    });
    expect(rds.commandCalls(ModifyDBClusterCommand)).toHaveLength(0);
  });

  it('is disabled with DisableHttpEndpoint', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster()] });
    rds.on(DisableHttpEndpointCommand).resolves({});
    await gateway().setClusterDataApi('c1', false);
    expect(rds.commandCalls(DisableHttpEndpointCommand)).toHaveLength(1);
  });

  it('is enabled with ModifyDBCluster EnableHttpEndpoint on Aurora Serverless v1', async () => {
    rds.on(DescribeDBClustersCommand).resolves({ DBClusters: [cluster({ EngineMode: 'serverless' })] });
    rds.on(ModifyDBClusterCommand).resolves({});
    await gateway().setClusterDataApi('c1', true);
    expect(modifyClusterInput()).toEqual({ DBClusterIdentifier: 'c1', EnableHttpEndpoint: true, ApplyImmediately: true });
    expect(rds.commandCalls(EnableHttpEndpointCommand)).toHaveLength(0);
  });
});
