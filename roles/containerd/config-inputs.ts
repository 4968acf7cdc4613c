// config.toml is made from what two programs print (`containerd config default`, the pause image
// kubeadm lists) and the role's settings: two program starts on every node of every run, ~0.1 s
// of CPU each (on 3 + 20 lab nodes sharing 2 cores, 1.9 s of a converged cluster.yml). A file
// beside it records a digest of those inputs (the programs' path, size and time; the settings;
// how this role patches) and of the config it made. When both still hold, the config on the node
// is the one the role would write: one command of stat and cat reads it, no program starts.
import { createHash } from 'node:crypto';

export const CONFIG = '/etc/containerd/config.toml';
export const INPUTS_FILE = '/etc/containerd/config.toml.quorum';

/**
 * Bump when toml.ts writes something else from the same inputs: every node then makes its
 * config again (test/roles/containerd-inputs.test.ts holds toml.ts's digest to this number).
 */
export const PATCH_REVISION = 1;

/** The programs (path size mtime, one per line), the inputs record, the config. */
export const READ_INPUTS = [
  // one subshell and one stat for both programs (a path with a space would only cost a remake)
  `p=$(for b in containerd kubeadm; do command -v $b; done); [ -n "$p" ] && stat -L -c '%n %s %Y' $p`,
  `echo --record--; cat ${INPUTS_FILE} 2>/dev/null`,
  // the end mark keeps the config's last newline (or its lack) whatever trims a command's output
  `echo --config--; cat ${CONFIG} 2>/dev/null; echo --end--`,
].join('; ');

export interface ConfigInputs {
  /** digest of the programs' identity, the settings and PATCH_REVISION */
  inputs: string;
  record: string;
  config: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function readInputs(stdout: string, settings: Record<string, unknown>): ConfigInputs {
  const [programs, rest = ''] = stdout.split('--record--\n');
  const [record, tail = ''] = rest.split('--config--\n');
  const config = tail.slice(0, tail.lastIndexOf('--end--'));
  const inputs = sha256(JSON.stringify({ programs: programs.trim(), settings, revision: PATCH_REVISION }));
  return { inputs, record, config };
}

export function inputsRecord(inputs: string, config: string): string {
  return [
    "# quorum's containerd role made config.toml from these inputs (containerd and kubeadm, the",
    "# role's settings); while both digests hold, a run reads this instead of starting them again",
    `inputs ${inputs}`,
    `config.toml ${sha256(config)}`,
    '',
  ].join('\n');
}

/** The config on the node when it is the one these inputs made, else undefined (make it again). */
export function currentConfig(read: ConfigInputs): string | undefined {
  return read.record === inputsRecord(read.inputs, read.config) ? read.config : undefined;
}
