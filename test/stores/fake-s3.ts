/**
 * An in-memory S3 at the place of the S3Client's HTTP handler: requests go through the client's
 * whole stack (serialization, signing, retries) and answers through its XML deserializer, so the
 * production S3 state code runs unchanged. It keeps what the state stores use — GetObject,
 * PutObject with If-None-Match / If-Match, DeleteObject with If-Match, ListObjectsV2 — with S3's
 * answers: 412 PreconditionFailed, 404 NoSuchKey / NoSuchBucket, 409 ConditionalRequestConflict
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-requests.html).
 * Faults: `failNext` (the call fails, nothing happened), `loseNextAnswer` (it takes effect and
 * its answer is lost), `conflictNext` (409, nothing happened).
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { HttpResponse, type HttpRequest } from '@smithy/core/protocols';

interface Stored {
  body: string;
  etag: string;
  lastModified: Date;
}

type Op = 'GetObject' | 'PutObject' | 'DeleteObject' | 'ListObjectsV2';
type Fault = { op: Op; key?: string | undefined; kind: 'fail' | 'lose' | 'conflict'; condition?: 'If-Match' | 'If-None-Match' | undefined };

const xml = (status: number, text: string, headers: Record<string, string> = {}): HttpResponse =>
  new HttpResponse({
    statusCode: status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': 'fake', ...headers },
    body: Readable.from([Buffer.from(text)]),
  });
const error = (status: number, code: string): HttpResponse =>
  xml(status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`);
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unquote = (s: string): string => s.replace(/"/g, '');

/** The in-memory buckets, shared by every client made from it. */
export class FakeS3 {
  readonly buckets = new Map<string, Map<string, Stored>>();
  readonly calls: { op: Op; key: string; condition?: string }[] = [];
  private readonly faults: Fault[] = [];
  /** Time of Last-Modified; tests with a virtual clock may set it. */
  now: () => Date = () => new Date();

  bucket(name: string): Map<string, Stored> {
    let bucket = this.buckets.get(name);
    if (!bucket) {
      bucket = new Map<string, Stored>();
      this.buckets.set(name, bucket);
    }
    return bucket;
  }

  /** Writes an object directly (a fixture, or another tool). */
  put(bucket: string, key: string, body: string): void {
    this.bucket(bucket).set(key, { body, etag: `"${createHash('md5').update(body).digest('hex')}"`, lastModified: this.now() });
  }

  text(bucket: string, key: string): string | undefined {
    return this.buckets.get(bucket)?.get(key)?.body;
  }

  keys(bucket: string): string[] {
    return [...(this.buckets.get(bucket)?.keys() ?? [])].sort();
  }

  failNext(op: Op, key?: string): void {
    this.faults.push({ op, key, kind: 'fail' });
  }

  /** The next such call takes effect and its answer is lost; `condition` picks only a conditional write of that kind. */
  loseNextAnswer(op: Op, key?: string, condition?: 'If-Match' | 'If-None-Match'): void {
    this.faults.push({ op, key, kind: 'lose', condition });
  }

  conflictNext(op: Op, key?: string): void {
    this.faults.push({ op, key, kind: 'conflict' });
  }

  /** An S3Client (no retries, so faults are seen as they are) whose requests this fake answers. */
  client(): S3Client {
    return new S3Client({
      region: 'us-east-1',
      endpoint: 'http://fake-s3.local',
      forcePathStyle: true,
      credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' },
      maxAttempts: 1,
      requestHandler: { handle: (request: HttpRequest) => Promise.resolve({ response: this.handle(request) }) },
    });
  }

  private takeFault(op: Op, key: string, condition: string | undefined): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        f.op === op &&
        (f.key === undefined || key.endsWith(f.key)) &&
        (f.condition === undefined || condition?.startsWith(`${f.condition}:`)),
    );
    return i < 0 ? undefined : this.faults.splice(i, 1)[0];
  }

  private handle(request: HttpRequest): HttpResponse {
    const [, bucketName = '', ...rest] = request.path.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const header = (name: string): string | undefined =>
      Object.entries(request.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    const op: Op =
      request.method === 'GET' ? (key ? 'GetObject' : 'ListObjectsV2') : request.method === 'PUT' ? 'PutObject' : 'DeleteObject';
    const condition = header('if-none-match')
      ? `If-None-Match: ${header('if-none-match')}`
      : header('if-match')
        ? `If-Match: ${header('if-match')}`
        : undefined;
    this.calls.push({ op, key, ...(condition ? { condition } : {}) });
    const fault = this.takeFault(op, key, condition);
    if (fault?.kind === 'fail') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    if (fault?.kind === 'conflict') return error(409, 'ConditionalRequestConflict');
    const bucket = this.buckets.get(bucketName);
    if (!bucket) return error(404, 'NoSuchBucket');
    const answer = this.answer(op, bucket, key, request, header);
    if (fault?.kind === 'lose') throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    return answer;
  }

  private answer(
    op: Op,
    bucket: Map<string, Stored>,
    key: string,
    request: HttpRequest,
    header: (name: string) => string | undefined,
  ): HttpResponse {
    const current = bucket.get(key);
    const ifMatch = header('if-match');
    const ifNoneMatch = header('if-none-match');
    switch (op) {
      case 'GetObject':
        if (!current) return error(404, 'NoSuchKey');
        return new HttpResponse({
          statusCode: 200,
          headers: { etag: current.etag, 'last-modified': current.lastModified.toUTCString(), 'content-type': 'application/json' },
          body: Readable.from([Buffer.from(current.body)]),
        });
      case 'PutObject': {
        if (ifMatch !== undefined) {
          if (!current) return error(404, 'NoSuchKey');
          if (unquote(ifMatch) !== unquote(current.etag)) return error(412, 'PreconditionFailed');
        }
        if (ifNoneMatch === '*' && current) return error(412, 'PreconditionFailed');
        const body = typeof request.body === 'string' ? request.body : Buffer.from(request.body as Uint8Array).toString('utf8');
        const stored: Stored = { body, etag: `"${createHash('md5').update(body).digest('hex')}"`, lastModified: this.now() };
        bucket.set(key, stored);
        return xml(200, '', { etag: stored.etag });
      }
      case 'DeleteObject':
        if (ifMatch !== undefined) {
          if (!current) return error(404, 'NoSuchKey');
          if (unquote(ifMatch) !== unquote(current.etag)) return error(412, 'PreconditionFailed');
        }
        bucket.delete(key);
        return new HttpResponse({ statusCode: 204, headers: {}, body: Readable.from([]) });
      case 'ListObjectsV2': {
        const prefix = String(request.query.prefix ?? '');
        const delimiter = request.query.delimiter ? String(request.query.delimiter) : undefined;
        const max = Number(request.query['max-keys'] ?? 1000);
        const after = request.query['continuation-token'] ? String(request.query['continuation-token']) : '';
        const contents: [string, Stored][] = [];
        const prefixes = new Set<string>();
        for (const [k, v] of [...bucket.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          if (!k.startsWith(prefix) || k <= after) continue;
          const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
          if (cut >= 0) prefixes.add(k.slice(0, cut + 1));
          else contents.push([k, v]);
        }
        const page = contents.slice(0, max);
        const truncated = contents.length > max;
        const body =
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>x</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
          (truncated ? `<NextContinuationToken>${esc(page.at(-1)?.[0] ?? '')}</NextContinuationToken>` : '') +
          page
            .map(
              ([k, v]) =>
                `<Contents><Key>${esc(k)}</Key><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${esc(v.etag)}</ETag><Size>${v.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
            )
            .join('') +
          [...prefixes].map((p) => `<CommonPrefixes><Prefix>${esc(p)}</Prefix></CommonPrefixes>`).join('') +
          `</ListBucketResult>`;
        return xml(200, body);
      }
    }
  }
}
