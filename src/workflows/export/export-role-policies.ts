/** The IAM role RDS assumes to write an export: its trust policy and its permissions. */
export function exportRolePolicies(bucket: string, kmsKeyArn: string | undefined): { trust: unknown; permissions: unknown } {
  return {
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'export.rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    permissions: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject*', 's3:ListBucket', 's3:GetObject*', 's3:DeleteObject*', 's3:GetBucketLocation'],
          Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
        },
        {
          Effect: 'Allow',
          Action: [
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncrypt*',
            'kms:GenerateDataKey*',
            'kms:CreateGrant',
            'kms:DescribeKey',
            'kms:RetireGrant',
          ],
          Resource: kmsKeyArn ?? '<the KMS key ARN>',
        },
      ],
    },
  };
}
