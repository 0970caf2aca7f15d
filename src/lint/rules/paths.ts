// Lint rule paths: paths that disagree: binary, working directory, data and WAL directories, sandboxed write paths.
import type { Check } from '../../model/check.js';
import { lintCheck } from '../check.js';
import { valueOr } from '../settings.js';
import type { MemberRule } from './common.js';

/** Paths that disagree: binary, working directory, data and WAL directories, sandboxed write paths. */
export const paths: MemberRule = {
  id: 'paths',
  source: 'systemd.exec (WorkingDirectory=, ReadWritePaths=); ETCD-FACTS.md Disk (the WAL fsync is what etcd waits on)',
  check({ member, settings, facts, version }) {
    const out: Check[] = [];
    const unit = member.unit;
    if (unit && facts.binary && !facts.binary.exists)
      out.push(
        lintCheck(
          'warn',
          'paths.binary',
          unit.execFile,
          unit.binaryLine,
          null,
          `ExecStart runs ${facts.binary.path}, which is not on this machine: if this is the node, systemd fails with status 203/EXEC. Fix: install etcd there or correct the path (command -v etcd).`,
        ),
      );
    if (unit && facts.workingDirectory && !facts.workingDirectory.exists && !unit.workingDirectory!.startsWith('-'))
      out.push(
        lintCheck(
          'warn',
          'paths.working-directory',
          unit.service.get('WorkingDirectory')!.file,
          unit.service.get('WorkingDirectory')!.line,
          null,
          `WorkingDirectory=${unit.workingDirectory} does not exist on this machine: if this is the node, systemd fails with status 200/CHDIR. Fix: create it (owned by the etcd user) or correct it.`,
        ),
      );
    const dataDir = settings.get('data-dir');
    if (unit && member.configFile === null) {
      const value = dataDir?.value || `${valueOr(settings, 'name', version) || 'default'}.etcd`;
      if (!value.startsWith('/') && unit.workingDirectory === null)
        out.push(
          lintCheck(
            'warn',
            'paths.data-dir',
            dataDir?.file ?? unit.execFile,
            dataDir?.line ?? unit.binaryLine,
            'data-dir',
            `${dataDir?.value ? `--data-dir=${value} is relative` : `No --data-dir value: etcd uses ${value}`} and the unit has no WorkingDirectory=, so systemd runs etcd in / and the data lands in /${value}. Fix: --data-dir=/var/lib/etcd (absolute).`,
          ),
        );
      if (dataDir && unit.workingDirectory && dataDir.value.startsWith('/')) {
        const wd = unit.workingDirectory.replace(/^-/, '').replace(/\/$/, '');
        if (!dataDir.value.startsWith(`${wd}/`) && dataDir.value !== wd)
          out.push(
            lintCheck(
              'info',
              'paths.data-dir',
              dataDir.file,
              dataDir.line,
              'data-dir',
              `--data-dir=${dataDir.value} is outside WorkingDirectory=${unit.workingDirectory}: the two usually name the same place (the upstream unit uses /var/lib/etcd for both). Fix: make them agree, so that relative paths and the data end up on the same disk.`,
            ),
          );
      }
      const rw = unit.service.get('ReadWritePaths');
      if (rw) {
        const allowed = rw.value.split(/\s+/).map((p) => p.replace(/^-/, '').replace(/\/$/, ''));
        for (const flag of ['data-dir', 'wal-dir']) {
          const s = settings.get(flag);
          if (s && s.value.startsWith('/') && !allowed.some((p) => s.value === p || s.value.startsWith(`${p}/`)))
            out.push(
              lintCheck(
                'fail',
                'paths.sandbox',
                s.file,
                s.line,
                flag,
                `--${flag}=${s.value} is not under ReadWritePaths=${rw.value}: in this sandbox etcd cannot write there and fails at start. Fix: add ${s.value} to ReadWritePaths=.`,
              ),
            );
        }
      }
    }
    const data = facts.dirs.get('data-dir');
    const wal = facts.dirs.get('wal-dir');
    const walSetting = settings.get('wal-dir');
    if (data?.exists && wal?.exists && data.device !== null && data.device === wal.device && walSetting)
      out.push(
        lintCheck(
          'warn',
          'paths.wal-same-device',
          walSetting.file,
          walSetting.line,
          'wal-dir',
          `--wal-dir=${wal.path} is on the same device as --data-dir=${data.path}: a dedicated WAL directory only helps on its own disk, where the WAL fdatasync does not queue behind snapshot and db writes. Fix: put --wal-dir on a separate (fast) disk, or drop it.`,
        ),
      );
    return out;
  },
};
