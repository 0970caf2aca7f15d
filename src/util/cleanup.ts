// Runs registered clean-up steps (stop etcd, kill fio, remove scratch files) once: at the end, on error, and on Ctrl-C or SIGTERM.
import { errorMessage } from '../model/errors.js';

type CleanupStep = () => Promise<void> | void;

const steps: { name: string; run: CleanupStep }[] = [];
let signalsInstalled = false;
let interruptedBy: NodeJS.Signals | null = null;
const interruptListeners = new Set<(signal: NodeJS.Signals) => void>();
const interruptTakers: ((signal: NodeJS.Signals) => void)[] = [];

/** Registers a step; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(name: string, run: CleanupStep): () => Promise<void> {
  const entry = { name, run };
  steps.push(entry);
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    const i = steps.indexOf(entry);
    if (i >= 0) steps.splice(i, 1);
    await run();
  };
}

/** Runs every registered step, newest first, and never throws: a failed step must not keep the others from running. */
export async function runCleanup(): Promise<string[]> {
  const failures: string[] = [];
  while (steps.length > 0) {
    const step = steps.pop()!;
    try {
      await step.run();
    } catch (err) {
      failures.push(`${step.name}: ${errorMessage(err)}`);
    }
  }
  return failures;
}

/** Long steps listen so that they stop early instead of finishing their work after Ctrl-C. */
export function onInterrupt(listener: (signal: NodeJS.Signals) => void): () => void {
  interruptListeners.add(listener);
  return () => interruptListeners.delete(listener);
}

/**
 * While registered, the first SIGINT/SIGTERM goes to `taker` alone and the tool carries on (an observation window that
 * Ctrl-C ends early and still reports); a second signal exits at once, as always. Returns the unregistration.
 */
export function takeInterrupt(taker: (signal: NodeJS.Signals) => void): () => void {
  interruptTakers.push(taker);
  return () => {
    const i = interruptTakers.indexOf(taker);
    if (i >= 0) interruptTakers.splice(i, 1);
  };
}

/** The exit code of a run stopped by a signal: 128 + its number, as a shell reports it. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The signal that interrupted this process, or null while none has. */
export function interruption(): NodeJS.Signals | null {
  return interruptedBy;
}

/** How long a command that writes what it measured may take to do so after a signal, before the tool cleans up and exits anyway. */
export const INTERRUPT_GRACE_MS = 20_000;
let deferrals = 0;

/**
 * Says that the running command ends itself on a signal (run writes what it measured so far as an interrupted report):
 * the signal then only stops the measuring; the command cleans up and exits. Returns the function that ends the claim.
 */
export function handleInterruptInCommand(): () => void {
  deferrals++;
  let done = false;
  return () => {
    if (!done) deferrals--;
    done = true;
  };
}

/**
 * On SIGINT/SIGTERM: tell the running steps, clean up, and exit 130/143, unless the command handles the interrupt
 * itself (handleInterruptInCommand), which it must do within INTERRUPT_GRACE_MS.
 * A second signal exits at once, for an operator who really wants out; children die with the tool (util/child.ts).
 */
export function installSignalHandlers(log: (line: string) => void = (l) => process.stderr.write(l + '\n')): void {
  if (signalsInstalled) return;
  signalsInstalled = true;
  const cleanUpAndExit = (signal: NodeJS.Signals) =>
    void runCleanup().then((failures) => {
      for (const f of failures) log(`clean-up failed: ${f}`);
      process.exit(exitCodeForSignal(signal));
    });
  const handle = (signal: NodeJS.Signals) => {
    if (interruptedBy !== null) process.exit(exitCodeForSignal(signal));
    interruptedBy = signal;
    const taker = interruptTakers.pop();
    if (taker !== undefined) {
      log(`\n${signal} received: finishing early (again to abort)...`);
      taker(signal);
      return;
    }
    const deferred = deferrals > 0;
    log(`\n${signal} received: stopping${deferred ? ' and writing what was measured so far' : ' and cleaning up'}...`);
    for (const l of interruptListeners) l(signal);
    if (!deferred) cleanUpAndExit(signal);
    else setTimeout(() => cleanUpAndExit(signal), INTERRUPT_GRACE_MS).unref();
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
