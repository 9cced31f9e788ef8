// Runs notebooks with the real tslab kernel (`pairs-lab` kernelspec) through nbclient (python/run_notebook.py),
// in the project-local Jupyter environment of scripts/project.mjs.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = path.resolve(__dirname, '..', '..');

/** One notebook's report from python/run_notebook.py. */
export interface NotebookReport {
  notebook: string;
  ok: boolean;
  seconds: number;
  cells: number;
  mime: Record<string, number>;
  errors: Array<{ cell: number | null; kind: string; text: string }>;
}

type JupyterEnv = (base?: NodeJS.ProcessEnv) => NodeJS.ProcessEnv;

async function jupyterEnv(extra: Record<string, string>): Promise<NodeJS.ProcessEnv> {
  const project = (await import(pathToFileURL(path.join(root, 'scripts', 'project.mjs')).href)) as { jupyterEnv: JupyterEnv };
  return { ...project.jupyterEnv(process.env), ...extra };
}

/** Executes `notebook` top to bottom; `saveTo` receives the executed copy. */
export async function runNotebook(notebook: string, env: Record<string, string>, saveTo: string, cellTimeoutSeconds = 150): Promise<NotebookReport> {
  const python = path.join(root, '.venv', 'bin', 'python');
  const args = [path.join(root, 'python', 'run_notebook.py'), '--timeout', String(cellTimeoutSeconds), '--save-to', saveTo, notebook];
  const child = spawn(python, args, { cwd: root, env: await jupyterEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as NotebookReport;
  } catch {
    throw new Error(`run_notebook.py exited ${code} without a report.\nstdout: ${stdout.slice(-2000)}\nstderr: ${stderr.slice(-4000)}`);
  }
}

/** The cells of a notebook file (as nbformat JSON). */
export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: Array<{ output_type: string; name?: string; text?: string | string[]; data?: Record<string, unknown> }>;
  execution_count?: number | null;
}
