// Options and helpers that several commands share: connection flags, output flags, and turning errors into exit codes.
import type { Argv } from 'yargs';
import { ETCD_BINARY_ENV } from '../etcd/binary.js';
import { userAndPassword, type EtcdConnection } from '../etcd/client.js';
import { etcdUrls } from '../etcd/urls.js';
import { parseEtcdVersion } from '../etcd/flags.js';
import type { MemberOptions } from '../report/unit.js';
import { UsageError } from '../model/errors.js';
import { capText } from '../util/input-file.js';
import { installSignalHandlers } from '../util/cleanup.js';
import { addSecret, redactDeep } from '../util/secrets.js';
import { attachTerminalDisplay, Progress } from '../util/progress.js';

export function connectionOptions<T>(y: Argv<T>) {
  return y
    .option('endpoints', { type: 'string', describe: 'Comma-separated client URLs of an existing cluster (default: start a throwaway etcd on loopback)' })
    .option('cacert', { type: 'string', describe: `CA bundle to verify the etcd server certificates (${capText('config')})`, normalize: true })
    .option('cert', { type: 'string', describe: `Client certificate for TLS client auth (${capText('config')})`, normalize: true })
    .option('key', { type: 'string', describe: `Client private key for TLS client auth (${capText('config')})`, normalize: true })
    .option('user', { type: 'string', describe: 'user[:password] for etcd auth (or give --password)' })
    .option('password', { type: 'string', describe: 'Password for --user' })
    .group(['endpoints', 'cacert', 'cert', 'key', 'user', 'password'], 'Connection:');
}

export interface ConnectionArgs {
  endpoints?: string | undefined;
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
}

/** --etcd-binary for a command that starts a throwaway etcd member. */
export function etcdBinaryOption<T>(y: Argv<T>) {
  return y.option('etcd-binary', {
    type: 'string',
    requiresArg: true,
    describe: `The etcd binary of the throwaway member, e.g. an etcd 3.5 unpacked beside the system's 3.4 (default: $${ETCD_BINARY_ENV}, else etcd on PATH)`,
  });
}

/** --etcd-version "3.5" or "3.5.17": the release advice and checks are for; bad usage for anything else. */
export function etcdVersionArg(text: string | undefined): string | undefined {
  return text === undefined ? undefined : parseEtcdVersion('--etcd-version', text);
}

/** "http://a:2379,https://b:2379" -> client URLs by etcd's URL rules (src/etcd/urls.ts); a bare host:port gets http://. */
export function parseEndpoints(list: string, flag = '--endpoints'): string[] {
  const endpoints = list
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (endpoints.length === 0) throw new UsageError(`${flag} is empty: give URLs like http://10.0.0.1:2379`);
  const withScheme = endpoints.map((e) => (/^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : `http://${e}`));
  return etcdUrls(flag, withScheme.join(',')).map((u) => u.text);
}

export function connectionFrom(args: ConnectionArgs, endpoints: string[]): EtcdConnection {
  const conn: EtcdConnection = { endpoints };
  if (args.cacert !== undefined) conn.cacert = args.cacert;
  if (args.cert !== undefined) conn.cert = args.cert;
  if (args.key !== undefined) conn.key = args.key;
  if (args.user !== undefined) conn.user = args.user;
  if (args.password !== undefined) conn.password = args.password;
  // From here the password is a secret of this run: any text the tool writes has it masked.
  addSecret(userAndPassword(conn)?.password);
  return conn;
}

/** The --json option of every command, worded alike: `what` says what is printed. */
export function jsonOption(what: string) {
  return { type: 'boolean', default: false, describe: `Print ${what} on stdout and nothing else there` } as const;
}

/** Prints JSON to stdout, the only thing a --json command writes there. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(redactDeep(value), null, 2) + '\n');
}

/**
 * A measuring command's work with Ctrl-C cleanup and the live progress line on stderr (silent off a terminal or with
 * --json). The line is closed before the command prints anything, an error included, so it is never left half-drawn.
 */
export async function withProgress<T>(json: boolean, work: (progress: Progress) => Promise<T>): Promise<T> {
  installSignalHandlers();
  const progress = new Progress();
  const display = attachTerminalDisplay(progress, process.stderr, process.stderr.isTTY === true && !json);
  // Warnings are said on every stream, terminal or not: they change how the result is read.
  progress.on('warning', (message) => process.stderr.write(`etcd-advisor: warning: ${message}\n`));
  try {
    return await work(progress);
  } finally {
    display.close();
  }
}

/** The options that say who the member of the generated etcd.service/etcd.conf is; `advise` and `run` take the same. */
export const MEMBER_OPTIONS = {
  name: "Member name (default: this member's in the member list of --endpoints, else this host's short name)",
  'initial-cluster': 'All members, name=peerURL,... (default: the member list of --endpoints plus this member)',
  'initial-cluster-state': 'new or existing (default: existing when joining the cluster of --endpoints, else new)',
  'initial-cluster-token': 'Cluster token (default etcd-cluster)',
  'listen-client-urls': 'URLs to listen on for clients',
  'advertise-client-urls': "Client URLs to advertise (default: the listen URLs, else this member's in the member list, else port 2379 on the peer URL's host)",
  'listen-peer-urls': 'URLs to listen on for peers (default: the advertised peer URLs)',
  'initial-advertise-peer-urls': "Peer URLs to advertise (default: this member's in --initial-cluster or in the member list)",
  'cert-file': 'Client-side server certificate (any TLS file turns on TLS for clients and peers)',
  'key-file': 'Key of --cert-file',
  'trusted-ca-file': 'CA that signs client certificates',
  'peer-cert-file': 'Peer certificate (default: --cert-file)',
  'peer-key-file': 'Key of --peer-cert-file (default: --key-file)',
  'peer-trusted-ca-file': 'CA that signs peer certificates (default: --trusted-ca-file)',
} as const;

export type MemberArgs = { [K in keyof typeof MEMBER_OPTIONS]?: string | undefined };

export function memberOptions<T>(y: Argv<T>, more: string[] = []) {
  let b = y;
  for (const [name, describe] of Object.entries(MEMBER_OPTIONS)) b = b.option(name, { type: 'string', describe, requiresArg: true });
  return b.group([...Object.keys(MEMBER_OPTIONS), ...more], 'Member settings for etcd.conf:') as Argv<T & MemberArgs>;
}

export function memberOptionsFrom(args: MemberArgs, dataDir: string | undefined): MemberOptions {
  const state = args['initial-cluster-state'];
  if (state !== undefined && state !== 'new' && state !== 'existing') throw new UsageError(`--initial-cluster-state "${state}": give new or existing`);
  return {
    name: args.name,
    dataDir,
    initialCluster: args['initial-cluster'],
    initialClusterState: state,
    initialClusterToken: args['initial-cluster-token'],
    listenClientUrls: args['listen-client-urls'],
    advertiseClientUrls: args['advertise-client-urls'],
    listenPeerUrls: args['listen-peer-urls'],
    initialAdvertisePeerUrls: args['initial-advertise-peer-urls'],
    certFile: args['cert-file'],
    keyFile: args['key-file'],
    trustedCaFile: args['trusted-ca-file'],
    peerCertFile: args['peer-cert-file'],
    peerKeyFile: args['peer-key-file'],
    peerTrustedCaFile: args['peer-trusted-ca-file'],
  };
}
