// Reads an etcd --config-file (YAML) into flag settings with their lines, as etcd's embed.ConfigFromFile maps them.
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Check } from '../model/check.js';
import { lintCheck } from './check.js';
import { ETCD_FLAGS } from '../etcd/flags.js';
import type { Setting } from './settings.js';

/** The TLS blocks of the config file (embed/config.go securityConfig) and the flags they stand for. */
const TRANSPORT_KEYS: Record<string, Record<string, string>> = {
  'client-transport-security': {
    'cert-file': 'cert-file',
    'key-file': 'key-file',
    'client-cert-auth': 'client-cert-auth',
    'trusted-ca-file': 'trusted-ca-file',
    'auto-tls': 'auto-tls',
    'crl-file': 'client-crl-file',
    'allowed-hostname': 'client-cert-allowed-hostname',
    'client-cert-file': 'client-cert-file',
    'client-key-file': 'client-key-file',
  },
  'peer-transport-security': {
    'cert-file': 'peer-cert-file',
    'key-file': 'peer-key-file',
    'client-cert-auth': 'peer-client-cert-auth',
    'trusted-ca-file': 'peer-trusted-ca-file',
    'auto-tls': 'peer-auto-tls',
    'crl-file': 'peer-crl-file',
    'allowed-cn': 'peer-cert-allowed-cn',
    'allowed-hostname': 'peer-cert-allowed-hostname',
    'client-cert-file': 'peer-client-cert-file',
    'client-key-file': 'peer-client-key-file',
  },
};

function scalarText(node: unknown): string {
  if (isScalar(node)) return node.value === null || node.value === undefined ? '' : String(node.value);
  if (isSeq(node)) return node.items.map(scalarText).join(',');
  return '';
}

export function parseEtcdYaml(text: string, file: string): { settings: Setting[]; checks: Check[] } {
  const lineCounter = new LineCounter();
  // etcd reads its config with go-yaml v2 (YAML 1.1): "yes" and "on" are booleans there.
  const doc = parseDocument(text, { lineCounter, version: '1.1', uniqueKeys: false });
  const checks: Check[] = [];
  const settings: Setting[] = [];
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : null);
  for (const err of doc.errors) {
    checks.push(
      lintCheck(
        'fail',
        'yaml.syntax',
        file,
        lineCounter.linePos(err.pos[0]).line,
        null,
        `The config file is not valid YAML (${err.code}): etcd refuses to start. Fix: correct the YAML syntax here.`,
      ),
    );
  }
  if (doc.errors.length > 0) return { settings, checks };
  if (doc.contents === null) return { settings, checks };
  if (!isMap(doc.contents)) {
    checks.push(
      lintCheck(
        'fail',
        'yaml.syntax',
        file,
        1,
        null,
        'The config file is not a YAML mapping of etcd settings: etcd refuses to start. Fix: write one "flag-name: value" per line.',
      ),
    );
    return { settings, checks };
  }
  const add = (flag: string, keyNode: YamlNode | null, valueNode: unknown, written: string) => {
    settings.push({ flag, value: scalarText(valueNode), origin: 'yaml', file, line: lineOf(keyNode as { range?: [number, number, number] }), written });
  };
  for (const pair of doc.contents.items) {
    const keyNode = pair.key as YamlNode | null;
    const key = scalarText(keyNode);
    const block = TRANSPORT_KEYS[key];
    if (block !== undefined) {
      if (!isMap(pair.value)) continue;
      for (const inner of pair.value.items) {
        const innerKey = scalarText(inner.key);
        const flag = block[innerKey];
        if (flag === undefined) {
          checks.push(
            lintCheck(
              'warn',
              'yaml.unknown-key',
              file,
              lineOf(inner.key as YamlNode),
              null,
              `"${key}.${innerKey}" is not an etcd setting: etcd ignores it silently. Fix: remove it or correct its name (${Object.keys(block).join(', ')}).`,
            ),
          );
          continue;
        }
        add(flag, inner.key as YamlNode, inner.value, `${key}.${innerKey}`);
      }
      continue;
    }
    if (!ETCD_FLAGS.has(key) || key === 'config-file') {
      checks.push(
        lintCheck(
          'warn',
          'yaml.unknown-key',
          file,
          lineOf(keyNode),
          null,
          `"${key}" is not an etcd config-file setting: etcd ignores it silently. Fix: remove it or correct its name.`,
        ),
      );
      continue;
    }
    add(key, keyNode, pair.value, key);
  }
  return { settings, checks };
}
