// Facts about the machine (CPU, memory, kernel, tool versions) that the report shows and the advisor sizes from.
import os from 'node:os';
import { execa } from 'execa';
import { etcdVersionOf } from '../etcd/binary.js';
import type { HostArtifact } from '../model/artifacts.js';
import { errorMessage } from '../model/errors.js';
import { probeError, probeOk, type ProbeResult } from '../model/probe.js';

/** "etcd Version: 3.4.23" -> "3.4.23"; "fio-3.33" -> "3.33". */
async function toolVersion(command: string, args: string[], pattern: RegExp): Promise<string | null> {
  try {
    const result = await execa(command, args, { reject: false, timeout: 5_000, stdin: 'ignore' });
    return pattern.exec(`${String(result.stdout)}\n${String(result.stderr)}`)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** The version of the etcd a run starts: `binary` as src/etcd/binary.ts resolveEtcdBinary chose it, else etcd on PATH. */
export async function etcdVersionOnPath(binary = 'etcd'): Promise<string | null> {
  return etcdVersionOf(binary);
}

export async function fioVersionOnPath(binary = 'fio'): Promise<string | null> {
  return toolVersion(binary, ['--version'], /fio-(\S+)/);
}

/** The host probe: like every probe it returns its artifact or why it could not, never throws. */
export async function gatherHost(etcdBinary?: string): Promise<ProbeResult<HostArtifact>> {
  try {
    return probeOk(await readHost(etcdBinary));
  } catch (err) {
    return probeError(`the host could not be read: ${errorMessage(err)}`);
  }
}

async function readHost(etcdBinary?: string): Promise<HostArtifact> {
  const cpus = os.cpus();
  const [etcdVersion, fioVersion] = await Promise.all([etcdVersionOnPath(etcdBinary), fioVersionOnPath()]);
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    arch: os.arch(),
    kernel: os.release(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryBytes: os.totalmem(),
    nodeVersion: process.version,
    etcdVersion,
    fioVersion,
    addresses: Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address)),
  };
}
