/**
 * The files `quorum init DIR` writes: a site repository that depends on quorum, with one site
 * role (and its test), a playbook, a local inventory, tsconfig without skipLibCheck and vitest.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../paths.ts';
import { roleScaffold } from './scaffold.ts';

export const SITE_ROLE = 'motd';

/**
 * The versions quorum itself is tested with, so a site runs the same ones; but TypeScript 5.9:
 * TypeScript 7 without skipLibCheck refuses vitest 3's own types next to @types/chai 5.2.3
 * ("Duplicate identifier 'containSubset'"), and a site's tsc checks every library it loads.
 */
function toolVersions(): Record<string, string> {
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  return {
    '@types/node': pkg.devDependencies['@types/node'],
    typescript: '~5.9.3',
    vitest: pkg.devDependencies.vitest,
  };
}

export function siteScaffold(name: string, quorumSpec: string): Record<string, string> {
  const role = roleScaffold(SITE_ROLE);
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    'package.json': json({
      name,
      private: true,
      type: 'module',
      scripts: {
        play: 'quorum play playbooks/site.yml -i inventory/hosts.yml',
        check: 'quorum play playbooks/site.yml -i inventory/hosts.yml --check --diff',
        validate: 'quorum validate playbooks/site.yml -i inventory/hosts.yml',
        typecheck: 'tsc --noEmit',
        test: 'vitest run',
      },
      dependencies: { quorum: quorumSpec },
      devDependencies: toolVersions(),
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        types: ['node'],
        lib: ['ES2023'],
      },
      include: ['roles'],
    }),
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { include: ['roles/**/*.test.ts'] } });
`,
    '.gitignore': 'node_modules\n',
    'inventory/hosts.yml': `# Ansible's YAML inventory format: groups, hosts, vars.
all:
  hosts:
    localhost:
      ansible_connection: local
`,
    'playbooks/site.yml': `# npm run play (or: npx quorum play playbooks/site.yml -i inventory/hosts.yml [--check --diff])
- name: site steps
  hosts: all
  roles:
    - role: ${SITE_ROLE}
      ${SITE_ROLE}_message: hello from the site repository
      ${SITE_ROLE}_path: /tmp/quorum-site/${SITE_ROLE}.conf
`,
    'README.md': `# ${name}

A quorum site repository: site roles in roles/, playbooks in playbooks/, the inventory in
inventory/. Roles import \`quorum\`, \`quorum/cluster\` and \`quorum/testing\`; those are the
quorum that runs them.

\`\`\`sh
npm install
npm run validate   # the playbook and inventory, before any host is touched
npm run check      # what would change (check mode, with diffs)
npm run play
npm run typecheck && npm test
npx quorum roles new NAME   # another role, with its test
\`\`\`
`,
    ...Object.fromEntries(Object.entries(role).map(([file, text]) => [`roles/${SITE_ROLE}/${file}`, text])),
  };
}
