// etcd.service and etcd.conf from the same recommended values: every option lives in etcd.conf only, never also as a flag (etcd exits on both).
import type { Advice } from '../model/advice.js';

export interface MemberSettings {
  name: string;
  dataDir: string;
  listenClientUrls: string;
  advertiseClientUrls: string;
  listenPeerUrls: string;
  initialAdvertisePeerUrls: string;
  initialCluster: string;
  initialClusterState: 'new' | 'existing';
  initialClusterToken: string;
}

export interface UnitFileOptions {
  member: MemberSettings;
  etcdBinary: string;
  envFilePath: string;
  user: string;
  /** First line of both files: which run produced them. */
  provenance: string;
}

/** Single-member defaults on loopback: a unit that starts as it is, for an operator to edit to the real URLs. */
export function defaultMember(name: string): MemberSettings {
  const peer = 'http://127.0.0.1:2380';
  return {
    name,
    dataDir: '/var/lib/etcd',
    listenClientUrls: 'http://127.0.0.1:2379',
    advertiseClientUrls: 'http://127.0.0.1:2379',
    listenPeerUrls: peer,
    initialAdvertisePeerUrls: peer,
    initialCluster: `${name}=${peer}`,
    initialClusterState: 'new',
    initialClusterToken: 'etcd-cluster',
  };
}

/** ETCD-FACTS.md "Flags": the environment name of a flag is "ETCD_" + upper(flag with "-" -> "_"). */
export function envName(flag: string): string {
  return 'ETCD_' + flag.toUpperCase().replace(/-/g, '_');
}

/** systemd EnvironmentFile values: quote anything that is not a plain word, escaping what double quotes interpret. */
function envValue(value: string | number): string {
  const text = String(value);
  return /^[A-Za-z0-9_.,:/=@+-]*$/.test(text) ? text : `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}

function comment(text: string): string[] {
  return text.split('\n').map((l) => `# ${l}`);
}

export function renderEnvFile(advice: Advice, options: UnitFileOptions): string {
  const m = options.member;
  const lines = [
    ...comment(options.provenance),
    `# etcd ${advice.etcdVersion} environment file, read by etcd.service (EnvironmentFile=${options.envFilePath}).`,
    '# Every option is set here and nowhere else: etcd refuses to start when a flag and its ETCD_* variable are both set.',
    '',
    '# Member identity and URLs: edit to this member\'s real addresses.',
  ];
  const member: [string, string][] = [
    ['name', m.name],
    ['data-dir', m.dataDir],
    ['listen-client-urls', m.listenClientUrls],
    ['advertise-client-urls', m.advertiseClientUrls],
    ['listen-peer-urls', m.listenPeerUrls],
    ['initial-advertise-peer-urls', m.initialAdvertisePeerUrls],
    ['initial-cluster', m.initialCluster],
    ['initial-cluster-state', m.initialClusterState],
    ['initial-cluster-token', m.initialClusterToken],
  ];
  for (const [flag, value] of member) lines.push(`${envName(flag)}=${envValue(value)}`);
  lines.push('', '# Tuning from the measurements of this run.');
  for (const f of advice.flags) {
    lines.push(...comment(`--${f.flag}: ${f.reason} Measured: ${f.basis}. Default: ${f.default ?? 'none'}.`));
    lines.push(`${envName(f.flag)}=${envValue(f.value)}`);
  }
  return lines.join('\n') + '\n';
}

export function renderUnitFile(advice: Advice, options: UnitFileOptions): string {
  const lines = [
    ...comment(options.provenance),
    '# Install: copy to /etc/systemd/system/etcd.service and etcd.conf to ' + options.envFilePath + ', then systemctl daemon-reload && systemctl enable --now etcd',
    '[Unit]',
    'Description=etcd key-value store',
    'Documentation=https://etcd.io/docs/',
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=notify',
    `User=${options.user}`,
    `EnvironmentFile=${options.envFilePath}`,
    // No flags here: every option is in the environment file (see its header).
    `ExecStart=${options.etcdBinary}`,
    'Restart=always',
    'RestartSec=10s',
  ];
  for (const s of advice.unitSettings) {
    lines.push(...comment(s.reason));
    lines.push(`${s.key}=${s.value}`);
  }
  lines.push('', '[Install]', 'WantedBy=multi-user.target');
  return lines.join('\n') + '\n';
}
