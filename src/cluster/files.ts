// Each member's production etcd.service + etcd.conf from the cluster's one flag set: its own name and URLs, the full --initial-cluster (the one adapter to src/report/unit.ts).
import type { Advice } from '../model/advice.js';
import { resolveMember, renderEnvFile, renderUnitFile, type MemberSettings } from '../report/unit.js';
import type { ClusterPlan, PlannedMember } from './plan.js';
import type { ClusterSecurity } from './member.js';

/** etcd's own ports: the production cluster runs on them, not on the temporary member's. */
export const PRODUCTION_CLIENT_PORT = 2379;
export const PRODUCTION_PEER_PORT = 2380;

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export interface ProductionOptions {
  /** The data directory of the production member: the one the run tested. */
  dataDir: string;
  /** With the run's mutual-TLS files the production cluster uses them too; otherwise plain http, to be secured by the operator. */
  security: ClusterSecurity;
}

/** The member settings of one member of the production cluster the run qualified. */
export function productionMember(plan: Pick<ClusterPlan, 'members' | 'token'>, member: PlannedMember, o: ProductionOptions): MemberSettings {
  const scheme = o.security.mode === 'mutual-tls' ? 'https' : 'http';
  const peer = (m: PlannedMember) => `${scheme}://${urlHost(m.host)}:${PRODUCTION_PEER_PORT}`;
  const client = `${scheme}://${urlHost(member.host)}:${PRODUCTION_CLIENT_PORT}`;
  const tls = o.security.mode === 'mutual-tls' ? o.security.files : null;
  return resolveMember(
    {
      name: member.name,
      dataDir: o.dataDir,
      initialCluster: plan.members.map((m) => `${m.name}=${peer(m)}`).join(','),
      initialClusterState: 'new',
      initialClusterToken: plan.token.replace(/^etcd-advisor-/, 'etcd-cluster-'),
      listenClientUrls: client,
      advertiseClientUrls: client,
      listenPeerUrls: peer(member),
      initialAdvertisePeerUrls: peer(member),
      ...(tls
        ? {
            certFile: tls.cert,
            keyFile: tls.key,
            trustedCaFile: tls.cacert,
            peerCertFile: tls.peerCert,
            peerKeyFile: tls.peerKey,
            peerTrustedCaFile: tls.peerCacert,
          }
        : {}),
    },
    member.name,
  );
}

export function memberFiles(advice: Advice, member: MemberSettings, provenance: string): { 'etcd.service': string; 'etcd.conf': string } {
  const options = { member, etcdBinary: '/usr/bin/etcd', envFilePath: '/etc/etcd/etcd.conf', user: 'etcd', provenance };
  return { 'etcd.service': renderUnitFile(advice, options), 'etcd.conf': renderEnvFile(advice, options) };
}
