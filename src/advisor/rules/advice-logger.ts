// Recommends zap logging on etcd 3.4 (capnslog is deprecated there and zap is the only logger of 3.5+), and notes the version's other differences.
import { atLeast, defaultOf, REMOVED_FLAGS } from '../../etcd/flags.js';
import { checkFields, recommend, type Rule } from '../rule.js';

/** ETCD-FACTS.md "Flags": 3.4 logs with capnslog by default, 3.5+ with zap; `etcd --help` in 3.4: "'capnslog' will be deprecated in v3.5". */
export const RECOMMENDED_LOGGER = 'zap';

export const logger: Rule = {
  id: 'advice.logger',
  section: 'advice',
  title: '--logger and version differences',
  source: 'ETCD-FACTS.md Flags: logger capnslog (3.4) vs zap (3.5+); --enable-v2 removed in 3.6; snapshot-count default 10000 in 3.6',
  needs: [],
  evaluate({ inputs }) {
    const version = inputs.etcdVersion.value;
    const removed = REMOVED_FLAGS.filter((r) => atLeast(version, r.removedIn)).map((r) => `--${r.flag}`);
    const notes =
      removed.length > 0 ? ` etcd ${version} no longer accepts ${removed.join(', ')}: etcd exits on an unknown flag, so drop them from old configs.` : '';
    if (defaultOf('logger', version) === RECOMMENDED_LOGGER) {
      return {
        checks: [{ ...checkFields(this), status: 'info', message: `etcd ${version} logs with ${RECOMMENDED_LOGGER} by default: no --logger needed.${notes}` }],
      };
    }
    const { flag, check } = recommend(this, {
      flag: 'logger',
      value: RECOMMENDED_LOGGER,
      default: defaultOf('logger', version) as string,
      unit: '',
      basis: inputs.etcdVersion.basis,
      reason: `etcd ${version} still logs with capnslog, deprecated and gone in 3.5: zap gives structured logs now and the same log format after an upgrade.`,
      ifIgnored: 'Log parsing and alerts written against capnslog lines break at the upgrade to 3.5.',
    });
    return { flags: [flag], checks: [{ ...check, message: check.message + notes }] };
  },
};
