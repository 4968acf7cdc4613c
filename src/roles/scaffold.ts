/** The files `quorum roles new NAME` writes: a working role, its README and its test. */

export function roleScaffold(name: string): Record<string, string> {
  const title = name.replace(/-/g, '_');
  return {
    'index.ts': `// Site role "${name}". Its params are a JSON schema, and the TypeScript type below must match
// it (defineRole checks that). 'quorum' and 'quorum/cluster' are the quorum that runs the role,
// wherever this folder is.
import { defineRole } from 'quorum';
import { nodeAddress } from 'quorum/cluster';

interface Params {
  ${title}_message: string;
  ${title}_path: string;
}

export default defineRole<Params>({
  name: '${name}',
  description: 'site-specific step: writes a message file',
  params: {
    type: 'object',
    properties: {
      ${title}_message: { type: 'string', default: 'managed by quorum', description: 'text to write' },
      ${title}_path: { type: 'string', default: '/etc/${name}.conf', description: 'where to write it' },
    },
    // only what has no default: a playbook may leave the others out, run still gets them
    required: [],
    additionalProperties: false,
  },
  async run(ctx, p) {
    // the address other nodes reach this one by (node_ip, else ansible_host, else its name)
    const address = nodeAddress(ctx.host, ctx.vars);
    await ctx.template({ src: '${name}.conf.hbs', dest: p.${title}_path, mode: '0644' }, { name: \`${name} on \${address}\` });
  },
});
`,
    'README.md': `# ${name}

Site role. Writes \`${title}_path\` from \`templates/${name}.conf.hbs\`.

| param | default |
|---|---|
| ${title}_message | managed by quorum |
| ${title}_path | /etc/${name}.conf |

\`\`\`yaml
- hosts: all
  roles:
    - role: ${name}
      ${title}_message: hello
\`\`\`
`,
    [`templates/${name}.conf.hbs`]: `# {{ inventory_hostname }}\n{{ ${title}_message }}\n`,
    [`${name}.test.ts`]: `// Runs the role against a temporary folder on this machine: converge, then prove idempotence.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runRoleLocally } from 'quorum/testing';

it('${name} converges, then reports no change', async () => {
  const dir = mkdtempSync(join(tmpdir(), '${name}-'));
  const params = { ${title}_path: join(dir, 'out.conf'), ${title}_message: 'hi' };
  const first = await runRoleLocally(import.meta.dirname, params);
  expect(first.changed).toBeGreaterThan(0);
  expect(readFileSync(join(dir, 'out.conf'), 'utf8')).toContain('hi');
  const second = await runRoleLocally(import.meta.dirname, params);
  expect(second.changed).toBe(0);
});
`,
  };
}
