// The etcd releases the tests start: 3.4.23 (the system's), 3.5.30 and 3.5.16 (Debian sid and trixie, fetched into a cache).
import { existsSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe } from 'vitest';
import { etcdVersionOf } from '../../src/etcd/binary.js';

/** Where scripts/fetch-etcd-versions.sh (run by `make test`) puts the 3.5 binaries; the same variable overrides both. */
export const ETCD_CACHE = process.env.ETCD_ADVISOR_ETCD_CACHE ?? '/var/cache/etcd-advisor';

export interface EtcdUnderTest {
  /** The release, e.g. "3.5.30": what the binary really is (checked before the tests of a describeEtcd run). */
  version: string;
  /** "3.4", "3.5": the catalogue the release belongs to. */
  minor: '3.4' | '3.5';
  /** Absolute path of the etcd server binary. */
  binary: string;
  /** etcdutl beside it (3.5+), else null. */
  etcdutl: string | null;
  /** Where it comes from, for the failure message when it is missing. */
  source: string;
}

/**
 * A cached Debian suite's etcd: the fetch script links <cache>/<suite> to etcd-<version>, so that a sid that moved on
 * (e.g. to 3.5.31) runs as what it is; `written` is the release these tests were written against.
 */
function cached(suite: 'trixie' | 'sid', written: string): EtcdUnderTest {
  let version = written;
  try {
    version = readlinkSync(join(ETCD_CACHE, suite)).replace(/^etcd-/, '');
  } catch {
    // Not fetched yet: requireEtcd says how to fetch it.
  }
  const dir = join(ETCD_CACHE, `etcd-${version}`);
  return {
    version,
    minor: '3.5',
    binary: join(dir, 'usr/bin/etcd'),
    etcdutl: join(dir, 'usr/bin/etcdutl'),
    source: `Debian ${suite}'s etcd-server in ${ETCD_CACHE} (scripts/fetch-etcd-versions.sh)`,
  };
}

/** Debian bookworm's etcd-server, installed by scripts/install-system-deps.sh. */
export const ETCD_3_4: EtcdUnderTest = {
  version: '3.4.23',
  minor: '3.4',
  binary: '/usr/bin/etcd',
  etcdutl: null,
  source: "Debian bookworm's etcd-server (scripts/install-system-deps.sh)",
};
export const ETCD_3_5: EtcdUnderTest = cached('sid', '3.5.30');
export const ETCD_3_5_OLD: EtcdUnderTest = cached('trixie', '3.5.16');

/** Every test that starts etcd runs on these two. */
export const ETCD_MATRIX: readonly EtcdUnderTest[] = [ETCD_3_4, ETCD_3_5];
/** A smaller set of tests (the flag catalogue, lint's fatal findings, a generated unit) also runs on 3.5.16. */
export const ETCD_MATRIX_WIDE: readonly EtcdUnderTest[] = [...ETCD_MATRIX, ETCD_3_5_OLD];

const checked = new Map<string, Promise<void>>();

/**
 * Fails (never skips) when a release of the matrix is missing or is not what it says: CI fetches the cache, so a missing
 * binary is a broken set-up, not a reason to test less.
 */
export function requireEtcd(etcd: EtcdUnderTest): Promise<void> {
  let done = checked.get(etcd.binary);
  if (done === undefined) {
    done = (async () => {
      if (!existsSync(etcd.binary))
        throw new Error(`etcd ${etcd.version} is missing at ${etcd.binary}: it is ${etcd.source}; run scripts/fetch-etcd-versions.sh (make test does)`);
      const version = await etcdVersionOf(etcd.binary);
      if (version !== etcd.version) throw new Error(`${etcd.binary} says etcd ${version ?? '(no version)'}, the matrix expects ${etcd.version}`);
    })();
    checked.set(etcd.binary, done);
  }
  return done;
}

/**
 * describe() once per release, titled "<title> (etcd 3.5.30)"; the body gets the release. Its tests fail when the binary
 * is missing. Use `versions: ETCD_MATRIX_WIDE` for the smaller set that also runs on 3.5.16.
 */
export function describeEtcd(title: string, body: (etcd: EtcdUnderTest) => void, versions: readonly EtcdUnderTest[] = ETCD_MATRIX): void {
  for (const etcd of versions) {
    describe(`${title} (etcd ${etcd.version})`, () => {
      beforeAll(() => requireEtcd(etcd));
      body(etcd);
    });
  }
}
