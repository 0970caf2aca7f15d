// Children die with the tool: setpriv's parent-death signal, tested under kill -9 of the parent, and the thread caveat that decides where children are started.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETPRIV, dyingWithTool, onPath } from '../../src/util/child.js';

/** Running: a killed child nobody has reaped yet is a zombie (state Z), dead for this purpose. */
const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ea16-child-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A parent (node) that starts `sleep 120` the way the tool starts etcd, prints the child's pid, and waits; `fromWorker` starts it from a worker thread that then ends. */
async function parentScript(fromWorker: boolean): Promise<string> {
  const spawnCode = `
    const { spawn } = require('node:child_process');
    const [cmd, args] = ${JSON.stringify(dyingWithTool(['sleep', '120']))};
    const c = spawn(cmd, args, { stdio: 'ignore', detached: true });
    c.unref();
    return c.pid;`;
  const script = join(dir, fromWorker ? 'worker-parent.cjs' : 'parent.cjs');
  await writeFile(
    script,
    fromWorker
      ? `const { Worker } = require('node:worker_threads');
         const w = new Worker(\`const { parentPort } = require('node:worker_threads'); parentPort.postMessage((() => {${spawnCode}})());\`, { eval: true });
         w.on('message', (pid) => { console.log(pid); });
         w.on('exit', () => console.log('worker-exited'));
         setInterval(() => {}, 1000);`
      : `console.log((() => {${spawnCode}})()); setInterval(() => {}, 1000);`,
  );
  return script;
}

describe('dyingWithTool', () => {
  it('wraps a command on PATH in setpriv --pdeathsig KILL, and leaves a missing one for ENOENT', () => {
    expect(dyingWithTool(['fio', '--version'])).toEqual([SETPRIV, ['--pdeathsig', 'KILL', '--', 'fio', '--version']]);
    expect(dyingWithTool(['no-such-tool-ea16', 'x'])).toEqual(['no-such-tool-ea16', ['x']]);
    expect(onPath('sh')).toMatch(/\/sh$/);
  });

  it('the child dies when the parent gets kill -9', async () => {
    const parent = execa(process.execPath, [await parentScript(false)], { reject: false, buffer: false, stdout: 'pipe' });
    const pid = await new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    await parent;
    for (let i = 0; i < 40 && alive(pid); i++) await sleep(50);
    expect(alive(pid)).toBe(false);
  });

  it('fires when the thread that started the child ends, not the process: children are started on the main thread', async () => {
    const parent = execa(process.execPath, [await parentScript(true)], { reject: false, buffer: false, stdout: 'pipe' });
    const lines: string[] = [];
    parent.stdout!.on('data', (d: Buffer) => lines.push(...String(d).trim().split('\n')));
    for (let i = 0; i < 100 && !lines.includes('worker-exited'); i++) await sleep(50);
    const pid = Number(lines[0]);
    for (let i = 0; i < 40 && alive(pid); i++) await sleep(50);
    // The parent process still runs, yet the child is gone: PR_SET_PDEATHSIG follows the forking thread.
    expect(parent.exitCode).toBeNull();
    expect(alive(pid)).toBe(false);
    parent.kill('SIGKILL');
    await parent;
  });
});
