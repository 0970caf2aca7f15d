// Warns when the tested directory is on tmpfs, overlay or a network filesystem, whose timings do not describe a real etcd disk.
import { NOT_A_REAL_DISK } from '../../probes/filesystem.js';
import { isMeasured } from '../inputs.js';
import { checkFields, type Rule } from '../rule.js';

export const diskFilesystem: Rule = {
  id: 'disk.filesystem',
  section: 'disk',
  title: 'Filesystem of the data directory',
  source: 'etcd op-guide/hardware: etcd needs a local disk with low fsync latency; memory and network filesystems hide or distort it',
  needs: ['filesystemType'],
  evaluate({ inputs }) {
    if (!isMeasured(inputs.filesystemType)) return { checks: [] };
    const type = inputs.filesystemType.value;
    const base = { ...checkFields(this), value: type };
    if (NOT_A_REAL_DISK.has(type)) {
      return {
        checks: [
          {
            ...base,
            status: 'warn',
            message: `The data directory is on ${type} (${inputs.filesystemType.basis}): the disk figures do not describe a real etcd disk. Test again in a directory on the disk etcd will use (--dir for "disk", --data-dir for "run").`,
          },
        ],
      };
    }
    return { checks: [{ ...base, status: 'info', message: `The data directory is on ${type}: ${inputs.filesystemType.basis}.` }] };
  },
};
