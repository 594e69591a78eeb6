// Makes `npm test` and `npm run demo` work on a fresh machine: installs the npm packages if
// they are missing, and the pinned moto server (the local AWS emulator) if it is not importable.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const MOTO_REQUIREMENT = 'moto[server]==5.2.1';
const MOTO_VERSION = '5.2.1';

const root = new URL('..', import.meta.url);

function run(cmd, args) {
  console.error(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: root });
}

if (!existsSync(new URL('node_modules/.package-lock.json', root))) {
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

const python = process.env.PYTHON ?? 'python3';
const probe = spawnSync(python, ['-c', 'import moto, flask, flask_cors; print(moto.__version__)'], { encoding: 'utf8' });
if (probe.error) {
  console.error(`${python} was not found: the tests and the demo need Python 3 to run the moto AWS emulator.`);
  process.exit(1);
}
if (probe.status !== 0 || probe.stdout.trim() !== MOTO_VERSION) {
  run(python, ['-m', 'pip', 'install', '--quiet', MOTO_REQUIREMENT]);
}

// The completion tests check the generated zsh and fish scripts with the shells themselves.
const missingShells = ['zsh', 'fish'].filter((shell) => spawnSync(shell, ['-c', 'exit 0']).error);
if (missingShells.length > 0) {
  const apt = spawnSync('apt-get', ['--version']);
  if (apt.error || process.getuid?.() !== 0) {
    console.error(
      `${missingShells.join(' and ')} not found: the shell-completion tests need them (install them with your package manager).`,
    );
    process.exit(1);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missingShells]);
}
