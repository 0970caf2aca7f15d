// Lint rule values: values etcd cannot parse, listen URLs it cannot bind, https without a certificate.
import { isIP } from 'node:net';
import type { Check } from '../../model/check.js';
import { lintCheck, settingCheck } from '../check.js';
import { defaultText, ETCD_FLAGS } from '../../etcd/flags.js';
import { anchor, valueOr } from '../settings.js';
import { shellSyntaxIn } from '../systemd.js';
import { parseUrlList, valueProblem } from '../values.js';
import { boolSetting } from './common.js';
import type { MemberRule } from './common.js';

/** Values etcd cannot parse, listen URLs it cannot bind, https without a certificate. */
export const values: MemberRule = {
  id: 'etcd.value',
  source: 'Go strconv/time parsers as etcd\'s flags use them; etcd types.NewURLs; etcd 3.4 "expected IP in URL for binding"',
  check({ member, settings, version }) {
    const out: Check[] = [];
    for (const s of settings.values()) {
      const flag = ETCD_FLAGS.get(s.flag);
      // Shell syntax has its own finding (systemd.shell-syntax), or a shell wrapper computes it.
      if (flag === undefined || shellSyntaxIn(s.value) !== null) continue;
      const problem = valueProblem(flag, s.value);
      if (problem)
        out.push(
          settingCheck(
            'fail',
            'etcd.value',
            s,
            `${s.written}: ${problem}. etcd refuses to start${s.origin === 'yaml' ? ' (it cannot read the config file)' : ` ("invalid value for flag -${s.flag}")`}. Fix: give a value of the right form${defaultText(s.flag, version) !== undefined ? `, e.g. the default ${defaultText(s.flag, version)}` : ''}.`,
          ),
        );
    }
    for (const flag of ['listen-client-urls', 'listen-peer-urls', 'listen-metrics-urls', 'listen-client-http-urls']) {
      const s = settings.get(flag);
      if (!s) continue;
      for (const u of parseUrlList(s.value).urls) {
        if (u.scheme.startsWith('unix')) continue;
        if (isIP(u.host) === 0 && u.host !== 'localhost' && u.host !== '')
          out.push(
            lintCheck(
              'fail',
              'etcd.url',
              s.file,
              s.line,
              flag,
              `--${flag} names host "${u.host}": etcd binds listen URLs to IP addresses only and refuses to start ("expected IP in URL for binding"). Fix: use the IP of that interface (or 0.0.0.0), and put the name in the advertise URLs.`,
            ),
          );
      }
    }
    for (const [side, listen, cert, auto] of [
      ['client', 'listen-client-urls', 'cert-file', 'auto-tls'],
      ['peer', 'listen-peer-urls', 'peer-cert-file', 'peer-auto-tls'],
    ] as const) {
      const urls = parseUrlList(valueOr(settings, listen, version) ?? '').urls;
      if (urls.some((u) => u.scheme === 'https' || u.scheme === 'unixs') && !settings.get(cert)?.value && !boolSetting(settings, auto)) {
        const a = anchor(member, settings, listen);
        out.push(
          lintCheck(
            'fail',
            'tls.missing-cert',
            a.file,
            a.line,
            cert,
            `--${listen} uses https but no --${cert} (nor --${auto}) is set: etcd refuses to start the ${side} listener. Fix: set --${cert} and --${cert.replace('cert', 'key')}.`,
          ),
        );
      }
    }
    return out;
  },
};
