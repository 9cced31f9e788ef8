import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, stopChild } from '../support/processes';

const root = path.resolve(__dirname, '..', '..');


async function waitForJson(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.json();
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not reachable within ${timeoutMs} ms: ${lastError}`);
}

describe('npm start', () => {
  let lab: ChildProcess | undefined;
  afterAll(async () => {
    await stopChild(lab);
  });

  it('opens JupyterLab on localhost with the Pairs Lab kernel listed', async () => {
    const port = await freePort();
    const token = 'start-test-token';
    lab = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs'), '--no-browser', '--port', String(port), '--token', token], {
      cwd: root,
      stdio: 'ignore',
    });
    const specs = (await waitForJson(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`, 60_000)) as {
      kernelspecs: Record<string, { spec: { display_name: string } }>;
    };
    expect(specs.kernelspecs['pairs-lab']?.spec.display_name).toBe('Pairs Lab (TypeScript)');
    const page = await fetch(`http://127.0.0.1:${port}/lab?token=${token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('JupyterLab');
  }, 90_000);
});
