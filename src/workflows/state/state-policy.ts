/** The partition of a region's ARNs (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/**
 * The IAM policy every runner of trapheus with `--state s3://bucket/prefix` needs, and nothing
 * more: read, write and delete objects under the prefix (run documents, leases; conditional
 * writes need no other action), and list the bucket only under the prefix (the s3:prefix
 * condition key of ListBucket: https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html).
 * A bucket encrypted with a KMS key also needs that key for reading and writing.
 */
export function statePolicy(options: { bucket: string; prefix: string; region: string; kmsKeyId?: string | undefined }): unknown {
  const partition = partitionOf(options.region);
  const bucketArn = `arn:${partition}:s3:::${options.bucket}`;
  const under = options.prefix ? `${options.prefix}/` : '';
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'TrapheusStateList',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: bucketArn,
        ...(under ? { Condition: { StringLike: { 's3:prefix': [`${under}*`] } } } : {}),
      },
      {
        Sid: 'TrapheusStateObjects',
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        Resource: `${bucketArn}/${under}*`,
      },
      ...(options.kmsKeyId
        ? [
            {
              Sid: 'TrapheusStateKey',
              Effect: 'Allow',
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Resource: options.kmsKeyId.startsWith('arn:') ? options.kmsKeyId : `<the ARN of KMS key ${options.kmsKeyId}>`,
            },
          ]
        : []),
    ],
  };
}
