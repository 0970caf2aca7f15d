// The plan of a cluster run from `--cluster n1=ADDR,... --name n1`: members, the driver, ports, URLs and the run's token and key prefix.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { UsageError } from '../model/errors.js';
import { MEMBER_NAME } from '../etcd/urls.js';

/**
 * The throwaway member's ports: off etcd's 2379/2380 and off the 12379/22379/32379 of etcd's local-cluster Procfile,
 * so that a real etcd on the node is never in the way. Configurable with --member-client-port/--member-peer-port.
 */
export const DEFAULT_MEMBER_CLIENT_PORT = 24379;
export const DEFAULT_MEMBER_PEER_PORT = 24380;

export interface PlannedMember {
  name: string;
  /** The member's own address: it listens there and nowhere else. */
  host: string;
  /** The peer port the others dial (the advertised one; a port forward or proxy may stand before the listener). */
  peerPort: number;
  /** Whether --cluster gave the port (then it may differ from the port the member listens on). */
  peerPortGiven: boolean;
}

export interface ClusterPlan {
  members: PlannedMember[];
  self: PlannedMember;
  /** The first-named member drives the load and writes the cluster report. */
  driver: PlannedMember;
  isDriver: boolean;
  scheme: 'http' | 'https';
  clientPort: number;
  /** The port this member's peer listener binds on its own address. */
  listenPeerPort: number;
  /** --initial-cluster-token: derived from the member list and the run label, so that mismatched runs never join. */
  token: string;
  /** Where the run's barrier keys live in the temporary cluster. */
  prefix: string;
}

export interface PlanOptions {
  cluster: string;
  name: string;
  scheme: 'http' | 'https';
  clientPort?: number;
  peerPort?: number;
  /** A label every node of the run shares (--run-label); part of the token. */
  label?: string;
  /** An explicit --token instead of the derived one. */
  token?: string;
}

function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

function parseAddress(name: string, text: string): { host: string; port: number | null } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d+))?$/.exec(text);
  const m = bracketed ?? plain;
  if (m === null || m[1] === undefined || m[1] === '') throw new UsageError(`--cluster: "${name}=${text}" is not name=ADDRESS or name=ADDRESS:PEERPORT`);
  const port = m[2] === undefined ? null : Number(m[2]);
  if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535))
    throw new UsageError(`--cluster: "${name}=${text}" has port ${m[2]}, not 1-65535`);
  return { host: m[1], port };
}

export function parseClusterList(list: string, defaultPeerPort: number): PlannedMember[] {
  const entries = list
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0) throw new UsageError('--cluster is empty: give every member as name=ADDRESS, e.g. n1=10.0.0.1,n2=10.0.0.2,n3=10.0.0.3');
  const members: PlannedMember[] = [];
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new UsageError(`--cluster: "${entry}" is not name=ADDRESS (e.g. n1=10.0.0.1)`);
    const name = entry.slice(0, eq);
    if (!MEMBER_NAME.test(name)) throw new UsageError(`--cluster: member name "${name}": use letters, digits, ".", "_" and "-" only`);
    if (members.some((m) => m.name === name)) throw new UsageError(`--cluster names "${name}" twice`);
    const { host, port } = parseAddress(name, entry.slice(eq + 1));
    members.push({ name, host, peerPort: port ?? defaultPeerPort, peerPortGiven: port !== null });
  }
  for (const m of members) {
    const twin = members.find((o) => o !== m && o.host === m.host && o.peerPort === m.peerPort);
    if (twin !== undefined) throw new UsageError(`--cluster: "${m.name}" and "${twin.name}" have the same address ${m.host}:${m.peerPort}`);
  }
  return members;
}

export function peerUrlOf(plan: Pick<ClusterPlan, 'scheme'>, m: PlannedMember): string {
  return `${plan.scheme}://${hostForUrl(m.host)}:${m.peerPort}`;
}

export function clientUrlOf(plan: Pick<ClusterPlan, 'scheme' | 'clientPort'>, m: PlannedMember): string {
  return `${plan.scheme}://${hostForUrl(m.host)}:${plan.clientPort}`;
}

/** --initial-cluster of the temporary cluster: every member at the peer URL the others dial. */
export function initialClusterOf(plan: Pick<ClusterPlan, 'scheme' | 'members'>): string {
  return plan.members.map((m) => `${m.name}=${peerUrlOf(plan, m)}`).join(',');
}

/** The same member list and label give the same token on every node; anything else gives another cluster id. */
export function deriveToken(members: PlannedMember[], scheme: string, label: string): string {
  const canonical = members.map((m) => `${m.name}=${m.host}:${m.peerPort}`).join(',');
  return `etcd-advisor-${createHash('sha256').update(`${scheme}|${canonical}|${label}`).digest('hex').slice(0, 16)}`;
}

/**
 * The one run id of a cluster run, the same on every node (each node's report names it, as the cluster report does): the
 * token's own part, since the token is what makes the nodes one run. A node's default report directory adds its own start
 * time, so that a rerun of the same cluster does not write into the last one's directory.
 */
export function clusterRunId(plan: Pick<ClusterPlan, 'token'>): string {
  return `cluster-${plan.token.replace(/^etcd-advisor-/, '')}`;
}

export function planCluster(o: PlanOptions): ClusterPlan {
  const clientPort = o.clientPort ?? DEFAULT_MEMBER_CLIENT_PORT;
  const listenPeerPort = o.peerPort ?? DEFAULT_MEMBER_PEER_PORT;
  if (clientPort === listenPeerPort) throw new UsageError(`--member-client-port and --member-peer-port are both ${clientPort}: give two ports`);
  const members = parseClusterList(o.cluster, listenPeerPort);
  if (members.length < 2) throw new UsageError('--cluster needs at least two members (three or five for a real cluster); for one node, run without --cluster');
  const self = members.find((m) => m.name === o.name);
  if (self === undefined) throw new UsageError(`--name ${o.name} is not in --cluster (${members.map((m) => m.name).join(', ')})`);
  const driver = members[0]!;
  const token = o.token ?? deriveToken(members, o.scheme, o.label ?? '');
  if (!MEMBER_NAME.test(token)) throw new UsageError(`--token "${token}": use letters, digits, ".", "_" and "-" only`);
  return {
    members,
    self,
    driver,
    isDriver: self === driver,
    scheme: o.scheme,
    clientPort,
    listenPeerPort,
    token,
    prefix: `/etcd-advisor/cluster/${token}/`,
  };
}
