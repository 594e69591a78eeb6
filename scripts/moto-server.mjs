// Starts moto's standalone server (an independent implementation of the RDS, S3, KMS and SES
// APIs) on a free loopback port, for the demo and the end-to-end tests.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `python3 -m moto.server` and resolves once it answers, with its endpoint URL and a
 * `stop()` that ends it.
 */
export async function startMoto({ python = process.env.PYTHON ?? 'python3', timeoutMs = 30_000 } = {}) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`moto server exited (${child.exitCode}): ${stderr}\nInstall it with: pip install 'moto[server]==5.2.1'`);
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) return { endpoint, port, stop };
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto server did not answer on ${endpoint} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
