// This member's identity as the generated etcd.service/etcd.conf carry it, and what had to be assumed to write them.

/** Certificates for both sides: with any TLS file given, clients and peers both use TLS and both verify the other side. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
  trustedCaFile: string;
  peerCertFile: string;
  peerKeyFile: string;
  peerTrustedCaFile: string;
}

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
  tls?: TlsFiles;
}

/** One thing the member's files had to assume, and the flag of the tool that would have said it. */
export interface Assumption {
  /** The etcd option (without dashes) whose value was assumed: "name", "data-dir", "advertise-client-urls". */
  setting: string;
  assumed: string;
  why: string;
  /** The tool's flag(s) that would fix it, e.g. "--name" or "--target-data-dir". */
  fix: string;
}

/** A member of the cluster as its member list shows it (an added but unstarted member has an empty name). */
export interface ClusterPeer {
  name: string;
  peerUrls: string[];
  clientUrls: string[];
}

export interface MemberIdentity {
  member: MemberSettings;
  assumptions: Assumption[];
  /** The member is not in the running cluster's list yet: it must be added before it starts (etcdctl member add). */
  needsMemberAdd: boolean;
  /** Who this member is in `members`, when it was found there ("by name", "by peer URL 127.0.0.13"). */
  matchedBy: string | null;
}
