import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S3Journal } from '../../src/aws/s3-journal.js';
import { S3StateObjects } from '../../src/aws/s3-state-objects.js';
import { FileJournal } from '../../src/stores/file-journal.js';
import { FakeS3 } from './fake-s3.js';
import { describeJournalContract } from './journal-contract.js';

describeJournalContract('file store', async () => {
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'trapheus-journal-')), 'journal');
  await mkdir(dir, { mode: 0o700 });
  return {
    journal: () => new FileJournal(dir),
    plant: (name, text) => writeFile(path.join(dir, `${name}.json`), text, { mode: 0o600 }),
  };
});

describeJournalContract('S3 store (in-memory S3 behind the SDK client)', async () => {
  const s3 = new FakeS3();
  s3.bucket('state');
  const objects = new S3StateObjects(s3.client(), { bucket: 'state', prefix: 'team/prod' });
  return {
    journal: () => new S3Journal(objects),
    plant: (name, text) => Promise.resolve(s3.put('state', `team/prod/runs/open/${name}.json`, text)),
  };
});
