import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createInstanceFixture, describeInstance, instanceIds, resetMoto, runCli, tempJournalDir, type RunJson } from './moto.js';

/** A hook script that writes its TRAPHEUS_* environment to a file (one VAR=value a line), says something, and exits `code`. */
async function hookScript(dir: string, name: string, code: number): Promise<{ script: string; envFile: string }> {
  const script = path.join(dir, `${name}.sh`);
  const envFile = path.join(dir, `${name}.env`);
  await writeFile(
    script,
    `#!/bin/sh\nenv | grep '^TRAPHEUS_' | grep -v '^TRAPHEUS_JOURNAL_DIR\\|^TRAPHEUS_WAIT\\|^TRAPHEUS_RETRY' | sort > '${envFile}'\necho "masking $TRAPHEUS_DB_IDENTIFIER at $TRAPHEUS_DB_ENDPOINT:$TRAPHEUS_DB_PORT"\necho "as $APP_USER"\nexit ${code}\n`,
  );
  await chmod(script, 0o755);
  return { script, envFile };
}

const readEnv = async (file: string): Promise<Record<string, string>> =>
  Object.fromEntries(
    (await readFile(file, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );

describe('hooks against the moto server, with real processes', () => {
  let journalDir: string;
  beforeEach(async () => {
    await resetMoto();
    journalDir = await tempJournalDir();
  });

  async function configWith(hooks: object): Promise<string> {
    const file = path.join(await tempJournalDir(), 'hooks.json');
    await writeFile(file, JSON.stringify({ restore: { strategy: 'swap' }, hooks }));
    return file;
  }

  it('runs beforeCutover against the copy under its temporary name and afterRestore under the original name, with the TRAPHEUS_* variables; the output is in --json and trapheus status', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const dir = await tempJournalDir();
    const before = await hookScript(dir, 'before', 0);
    const after = await hookScript(dir, 'after', 0);
    const config = await configWith({
      beforeCutover: { command: [before.script], timeoutSeconds: 60, env: { APP_USER: 'masker' } },
      afterRestore: { command: `'${after.script}'`, timeoutSeconds: 60 },
    });
    const run = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunJson;
    expect(summary.status).toBe('succeeded');

    const env = await readEnv(before.envFile);
    expect(env).toMatchObject({
      TRAPHEUS_HOOK: 'beforeCutover',
      TRAPHEUS_COMMAND: 'restore',
      TRAPHEUS_RUN_ID: summary.runId,
      TRAPHEUS_REGION: 'us-east-1',
      TRAPHEUS_IDENTIFIER: 'db1',
      TRAPHEUS_DB_KIND: 'instance',
      TRAPHEUS_DB_IDENTIFIER: 'db1-restoring',
      TRAPHEUS_DB_ENGINE: 'postgres',
    });
    expect(env.TRAPHEUS_DB_ENDPOINT).toMatch(/^db1-restoring\./);
    expect(env.TRAPHEUS_DB_PORT).toMatch(/^\d+$/);
    expect(env.TRAPHEUS_SNAPSHOT).toMatch(/^trapheus-db1-/);
    expect((await readEnv(after.envFile)).TRAPHEUS_DB_IDENTIFIER).toBe('db1');

    expect(summary.hooks?.map((h) => [h.name, h.identifier, h.exitCode])).toEqual([
      ['beforeCutover', 'db1-restoring', 0],
      ['afterRestore', 'db1', 0],
    ]);
    expect(summary.hooks?.[0]?.output).toBe(`masking db1-restoring at ${env.TRAPHEUS_DB_ENDPOINT}:${env.TRAPHEUS_DB_PORT}\nas masker\n`);
    const ids = summary.steps.map((s) => s.id);
    expect(ids.indexOf('hook-before-cutover')).toBeLessThan(ids.indexOf('rename-original'));
    expect(await instanceIds()).toEqual(['db1']);

    const status = await runCli(['status', summary.runId!, '--json'], { journalDir });
    expect((JSON.parse(status.stdout) as RunJson).hooks?.[0]?.output).toContain('as masker');
  });

  it('rolls back when beforeCutover fails (exit 1): the original never left its name, the copy is deleted, the output says why', async () => {
    const original = await createInstanceFixture({ identifier: 'db1' });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const before = await hookScript(await tempJournalDir(), 'before', 7);
    const config = await configWith({ beforeCutover: { command: [before.script] } });
    const run = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as RunJson;
    expect(summary.status).toBe('rolled_back');
    expect(summary.error?.step).toBe('hook-before-cutover');
    expect(summary.error?.message).toContain('exited 7 against db1-restoring');
    expect(summary.error?.message).toContain('masking db1-restoring at');
    expect(await instanceIds()).toEqual(['db1']);
    expect((await describeInstance('db1'))?.InstanceCreateTime?.getTime()).toBe(original.InstanceCreateTime?.getTime());
  });

  it('stops a hook that runs past its timeout and rolls back', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    expect((await runCli(['snapshot-only', '--identifier', 'db1'], { journalDir })).code).toBe(0);
    const config = await configWith({ beforeCutover: { command: 'echo started; sleep 600', timeoutSeconds: 1 } });
    const run = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--yes', '--json'], { journalDir });
    expect(run.code, run.stderr).toBe(1);
    const summary = JSON.parse(run.stdout) as RunJson;
    expect(summary.error?.message).toContain('ran past its timeout of 1 s and was stopped');
    expect(summary.hooks?.[0]).toMatchObject({ timedOut: true, output: 'started\n' });
    expect(await instanceIds()).toEqual(['db1']);
  });

  it('refuses beforeCutover with rename-first (exit 2) and a hook program that is not installed (exit 3), touching nothing', async () => {
    await createInstanceFixture({ identifier: 'db1' });
    const config = await configWith({ beforeCutover: { command: ['no-such-masking-tool', '-f', 'mask.sql'] } });
    const renameFirst = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--strategy', 'rename-first', '--yes'], {
      journalDir,
    });
    expect(renameFirst.code).toBe(2);
    expect(renameFirst.stderr).toContain('hooks.beforeCutover needs the swap strategy');
    const missing = await runCli(['--config', config, 'restore', '--identifier', 'db1', '--fresh-snapshot', '--dry-run'], { journalDir });
    expect(missing.code).toBe(3);
    expect(missing.stdout + missing.stderr).toContain('no-such-masking-tool is not an executable file on PATH');
    expect(await instanceIds()).toEqual(['db1']);
  });
});
