// The README's runnable guide: fenced blocks marked `<!-- guide-test: NAME -->` on the line before them, run by the
// guide tests as shell scripts with loopback hosts, ports and paths substituted. A section adds blocks by marking them
// and a test that says which substitutions turn them into commands for one machine.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../support/processes';

export interface GuideBlock {
  name: string;
  /** The fence's language, e.g. `sh`. */
  lang: string;
  text: string;
  /** 1-based line of the fence in the README. */
  line: number;
}

// A block in a list item is indented: marker and fence share the indent, which is taken off the block's lines.
const MARK = /^(\s*)<!--\s*guide-test:\s*([A-Za-z0-9_-]+)\s*-->\s*$/;

/** Every marked block of a Markdown text, in order. */
export function guideBlocks(markdown: string): GuideBlock[] {
  const lines = markdown.split('\n');
  const out: GuideBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const mark = MARK.exec(lines[i]);
    if (!mark) continue;
    const [, indent, name] = mark;
    const fence = /^```(\w*)\s*$/.exec((lines[i + 1] ?? '').startsWith(indent) ? lines[i + 1].slice(indent.length) : '');
    if (!fence) throw new Error(`README line ${i + 1}: guide-test "${name}" must be followed by a fenced block`);
    const end = lines.findIndex((l, j) => j > i + 1 && l.startsWith(indent + '```'));
    if (end < 0) throw new Error(`README line ${i + 2}: the fenced block of guide-test "${name}" is not closed`);
    const text = lines.slice(i + 2, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart())).join('\n');
    out.push({ name, lang: fence[1], text, line: i + 2 });
  }
  return out;
}

export function readmeBlock(name: string): GuideBlock {
  const blocks = guideBlocks(readFileSync(path.join(projectRoot(), 'README.md'), 'utf8')).filter((b) => b.name === name);
  if (blocks.length !== 1) throw new Error(`README has ${blocks.length} blocks marked guide-test: ${name} (want one)`);
  return blocks[0];
}

/** A substitution: every match of `from` becomes `to` (a plain string matches literally, everywhere). */
export type Substitution = readonly [from: string | RegExp, to: string];

export function substitute(text: string, subs: readonly Substitution[]): string {
  let out = text;
  for (const [from, to] of subs) out = typeof from === 'string' ? out.split(from).join(to) : out.replace(from, () => to);
  return out;
}

/** Commands a guide names from a clone's root, made to run from any folder of this machine. */
export function projectCommands(): Substitution[] {
  const root = projectRoot();
  return [
    ['npm run pairs-lab --', `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'dist', 'src', 'cli', 'main.js'))}`],
    ['node scripts/', `${JSON.stringify(process.execPath)} ${JSON.stringify(root)}/scripts/`],
    ['.venv/bin/', `${JSON.stringify(path.join(root, '.venv', 'bin'))}/`],
  ];
}

/**
 * Runs a block with bash in `cwd`, in its own process group (stop it with {@link stopGuideProcess}). In a clone of
 * the project (`cwd` its root) the block runs as written but for `subs`; elsewhere add {@link projectCommands}.
 */
export function runGuideBlock(block: GuideBlock, cwd: string, subs: readonly Substitution[]): { child: ChildProcess; output: () => string } {
  if (block.lang !== 'sh') throw new Error(`guide-test ${block.name} (README line ${block.line}) is \`${block.lang}\`, not sh`);
  const script = substitute(block.text, subs);
  const child = spawn('bash', ['-euc', script], { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  return { child, output: () => output };
}

/** SIGTERM to the block's process group (its shell and what it started), SIGKILL after `killAfterMs`; waits for the shell. */
export async function stopGuideProcess(child: ChildProcess, killAfterMs = 5_000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  const group = -child.pid;
  try { process.kill(group, 'SIGTERM'); } catch { return; }
  const hard = setTimeout(() => { try { process.kill(group, 'SIGKILL'); } catch { /* gone */ } }, killAfterMs);
  await exited;
  clearTimeout(hard);
}
