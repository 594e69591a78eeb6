import type * as fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// processOutput writes straight to file descriptors 1 and 2 until Node's stream for one exists
// (src/cli/output.ts). Here writeSync is a stand-in that records what reached each descriptor,
// or fails the way a pipe does: the rest must never be lost, reordered or thrown at the user.
const writes: { fd: number; text: string }[] = [];
let behaviour: (fd: number, bytes: Buffer) => number;

vi.mock('node:fs', async (importOriginal) => ({
  ...(await importOriginal<typeof fs>()),
  writeSync: (fd: number, bytes: Buffer) => behaviour(fd, bytes),
}));

const failWith = (code: string) => Object.assign(new Error(code), { code });

describe('processOutput on a pipe, before any stream', () => {
  let streamWrites: string[];

  beforeEach(() => {
    vi.resetModules();
    writes.length = 0;
    streamWrites = [];
    behaviour = (fd, bytes) => {
      writes.push({ fd, text: bytes.toString() });
      return bytes.length;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      streamWrites.push(Buffer.from(chunk).toString());
      return true;
    });
  });

  afterEach(() => vi.restoreAllMocks());

  it('writes each line to its descriptor at once, results on 1 and messages on 2', async () => {
    const { processOutput } = await import('../../src/cli/output.js');
    const output = processOutput({});
    output.out('first');
    output.err('note');
    output.out('second');
    expect(writes).toEqual([
      { fd: 1, text: 'first\n' },
      { fd: 2, text: 'note\n' },
      { fd: 1, text: 'second\n' },
    ]);
    expect(streamWrites).toEqual([]);
  });

  it('goes on after a partial write until the whole line is out', async () => {
    behaviour = (fd, bytes) => {
      const part = bytes.subarray(0, 3);
      writes.push({ fd, text: part.toString() });
      return part.length;
    };
    const { processOutput } = await import('../../src/cli/output.js');
    processOutput({}).out('a longer line');
    expect(writes.map((w) => w.text).join('')).toBe('a longer line\n');
  });

  it('hands the rest to the stream when the pipe would block (EAGAIN), then keeps to the stream', async () => {
    let calls = 0;
    behaviour = (fd, bytes) => {
      calls += 1;
      if (calls === 1) {
        writes.push({ fd, text: bytes.subarray(0, 4).toString() });
        return 4;
      }
      throw failWith('EAGAIN');
    };
    const { guardStandardOutputs, processOutput } = await import('../../src/cli/output.js');
    const stdout = Object.getOwnPropertyDescriptor(process, 'stdout')!;
    const stderr = Object.getOwnPropertyDescriptor(process, 'stderr')!;
    try {
      guardStandardOutputs();
      const output = processOutput({});
      output.out('0123456789');
      output.out('next');
      expect(writes.map((w) => w.text)).toEqual(['0123']);
      expect(streamWrites).toEqual(['456789\n', 'next\n']);
    } finally {
      Object.defineProperty(process, 'stdout', stdout);
      Object.defineProperty(process, 'stderr', stderr);
    }
  });

  it('drops the rest, and what follows, once the reader has gone (EPIPE): no error reaches the user', async () => {
    behaviour = () => {
      throw failWith('EPIPE');
    };
    const { processOutput } = await import('../../src/cli/output.js');
    const output = processOutput({});
    expect(() => output.out('lost')).not.toThrow();
    behaviour = (fd, bytes) => {
      writes.push({ fd, text: bytes.toString() });
      return bytes.length;
    };
    output.out('also dropped');
    output.err('stderr is another pipe: still written');
    expect(writes).toEqual([{ fd: 2, text: 'stderr is another pipe: still written\n' }]);
    expect(streamWrites).toEqual([]);
  });

  it('any other write error is not hidden', async () => {
    behaviour = () => {
      throw failWith('EIO');
    };
    const { processOutput } = await import('../../src/cli/output.js');
    expect(() => processOutput({}).out('x')).toThrow(/EIO/);
  });
});
