import { PassThrough } from 'node:stream';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { TerminalReporter } from '../../src/cli/reporters/terminal-reporter.js';
import type { RunEvent } from '../../src/engine/run-events.js';
import { RUN_SCHEMA_VERSION, type RunDocument } from '../../src/engine/run-document.js';

const doc: RunDocument = {
  schemaVersion: RUN_SCHEMA_VERSION,
  runId: 'r1',
  command: 'restore',
  workflow: 'instance-restore',
  identifier: 'db1',
  cluster: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  input: {},
  plan: {},
  state: {},
  events: [],
};
const at = '2026-01-01T00:00:00.000Z';

describe('TerminalReporter', () => {
  it('shows a line per step with its outcome, the awaited status, notices and the revert', () => {
    // A stand-in for a terminal: the cursor calls ora makes are accepted and ignored.
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 120,
      clearLine: () => true,
      cursorTo: () => true,
      moveCursor: () => true,
    });
    let written = '';
    stream.on('data', (d: Buffer) => (written += d.toString()));
    const lines: string[] = [];
    const reporter = new TerminalReporter(stream, new Chalk({ level: 0 }), (l) => lines.push(l));
    const events: [RunEvent, string?][] = [
      [{ type: 'step_started', at, stepId: 'rename-original', attempt: 1 }, 'Rename the original instance out of the way'],
      [{ type: 'step_succeeded', at, stepId: 'rename-original' }, 'Rename the original instance out of the way'],
      [{ type: 'step_started', at, stepId: 'restore-snapshot', attempt: 1 }, 'Restore the snapshot'],
    ];
    for (const [event, title] of events) reporter.event(event, doc, title);
    reporter.status('restore-snapshot', 'creating');
    reporter.event({ type: 'notice', at, level: 'warning', message: 'db1: port differs' }, doc);
    reporter.event(
      {
        type: 'step_failed',
        at,
        stepId: 'restore-snapshot',
        attempt: 1,
        error: { name: 'WaiterFailureError', message: 'incompatible-parameters' },
        willRetry: false,
      },
      doc,
      'Restore the snapshot',
    );
    reporter.event({ type: 'rollback_started', at, stepId: 'restore-snapshot', error: { name: 'WaiterFailureError', message: 'x' } }, doc);
    reporter.event(
      { type: 'compensation_started', at, stepId: 'rename-original', attempt: 1 },
      doc,
      'Rename the original instance out of the way',
    );
    reporter.event({ type: 'compensation_succeeded', at, stepId: 'rename-original' }, doc, 'Rename the original instance out of the way');

    // eslint-disable-next-line no-control-regex -- strips ANSI codes, which start with ESC (\u001b)
    written = written.replace(/\u001b\[[0-9;?]*[a-zA-Z]/g, '');
    expect(written).toMatch(/✔ Rename the original instance out of the way \d+s/);
    expect(written).toContain('Restore the snapshot 0s · creating');
    expect(written).toMatch(/✖ Restore the snapshot \d+s WaiterFailureError: incompatible-parameters/);
    expect(written).toMatch(/✔ Undo: Rename the original instance out of the way/);
    expect(lines).toEqual(['! db1: port differs', 'Reverting: restore-snapshot failed, putting the original back.']);
  });
});
