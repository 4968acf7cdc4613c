/**
 * ansible.builtin.tempfile: a new temporary file (0600) or folder (0700) on the host, named
 * PREFIX + 8 random characters + SUFFIX in `path` (the host's temp folder by default); its
 * name is the registered `path`. Every run makes a new one (changed), as in Ansible; a check
 * run predicts it with the name known after apply.
 */
import { sh } from '../transport/shell.ts';
import { defineModule } from './types.ts';

interface TempfileParams {
  state?: 'file' | 'directory';
  path?: string;
  prefix?: string;
  suffix?: string;
}

export const tempfileModule = defineModule<TempfileParams>({
  name: 'tempfile',
  schema: {
    type: 'object',
    properties: {
      state: { enum: ['file', 'directory'] },
      path: { type: 'string', minLength: 1 },
      prefix: { type: 'string' },
      suffix: { type: 'string' },
    },
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    const state = p.state ?? 'file';
    const template = `${p.prefix ?? 'ansible.'}XXXXXXXX`;
    // Python's tempfile.gettempdir(): $TMPDIR, else /tmp
    const dir = p.path ? sh`${p.path}` : '"${TMPDIR:-/tmp}"';
    const suffix = p.suffix ? sh` --suffix=${p.suffix}` : '';
    return {
      changes: [
        {
          summary: `create a temporary ${state} in ${p.path ?? '$TMPDIR'}`,
          action: {
            kind: 'exec',
            command: `mktemp${state === 'directory' ? ' -d' : ''} --tmpdir=${dir}${suffix} ${sh`${template}`}`,
          },
        },
      ],
      result: { state },
      outputResult: { keys: ['path'], from: (stdout) => ({ path: stdout.trim() }) },
    };
  },
});
