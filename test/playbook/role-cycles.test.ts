/**
 * Role dependencies that loop, and `needs` that name no role (issue 25, item 7): refused before
 * any host is touched, with the loop and the place, as Ansible refuses a recursion loop.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';
import { workspace } from '../helpers/run-local.ts';

function tree(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

const INV = `all:\n  hosts:\n    h1: { ansible_connection: local }\n`;
const touch = (name: string) => `- copy: { dest: "{{ out }}/${name}", content: x }\n`;

describe('role dependency loops', () => {
  it('rA -> rB -> rA is refused with the loop and its meta file; nothing runs', () => {
    const dir = workspace();
    tree(dir, {
      'inv.yml': INV,
      'play.yml': `- hosts: all\n  vars: { out: ${dir}/out }\n  roles: [rA]\n`,
      'roles/rA/meta/main.yml': 'dependencies: [rB]\n',
      'roles/rA/tasks/main.yml': touch('a'),
      'roles/rB/meta/main.yml': 'dependencies: [rA]\n',
      'roles/rB/tasks/main.yml': touch('b'),
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('a recursion loop was detected with the roles specified: rA -> rB -> rA');
    expect(r.stderr).toContain(join(dir, 'roles/rB/meta/main.yml'));
    expect(quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]).code).toBe(1);
  });

  it('a role that depends on itself is refused', () => {
    const dir = workspace();
    tree(dir, {
      'inv.yml': INV,
      'play.yml': `- hosts: all\n  vars: { out: ${dir}/out }\n  roles: [self]\n`,
      'roles/self/meta/main.yml': 'dependencies: [self]\n',
      'roles/self/tasks/main.yml': touch('s'),
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('self -> self');
  });

  it('a diamond (two roles needing the same one) is no loop: the shared one runs once', () => {
    const dir = workspace();
    tree(dir, {
      'inv.yml': INV,
      'play.yml': `- hosts: all\n  vars: { out: ${dir}/out }\n  roles: [top]\n`,
      'roles/top/meta/main.yml': 'dependencies: [left, right]\n',
      'roles/top/tasks/main.yml': touch('top'),
      'roles/left/meta/main.yml': 'dependencies: [base]\n',
      'roles/left/tasks/main.yml': touch('left'),
      'roles/right/meta/main.yml': 'dependencies: [base]\n',
      'roles/right/tasks/main.yml': touch('right'),
      'roles/base/tasks/main.yml': touch('base'),
      // Ansible's copy writes into a folder that exists
      'out/.keep': '',
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    const copies = r.stdout.split('\n').filter((l) => l.includes('"type":"step"') && l.includes('"changed"'));
    expect(copies).toHaveLength(4);
  });
});

describe('needs', () => {
  it('a TypeScript role needing a role that does not exist is refused, with the role file', () => {
    const dir = workspace();
    tree(dir, {
      'inv.yml': INV,
      'play.yml': '- hosts: all\n  roles: [typo]\n',
      'roles/typo/index.ts': [
        "import type { RoleDefinition } from 'quorum';",
        'const role: RoleDefinition<Record<string, never>> = {',
        "  name: 'typo',",
        "  description: 'needs a role that is not there',",
        "  needs: ['no-such-role-typo'],",
        "  params: { type: 'object', properties: {}, required: [], additionalProperties: false },",
        '  async run() {},',
        '};',
        'export default role;',
        '',
      ].join('\n'),
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('role typo needs "no-such-role-typo", which is no role in the roles path');
    expect(r.stderr).toContain(join(dir, 'roles/typo/index.ts'));
  });
});

describe('include loops', () => {
  it('task files that include each other: refused at the include that closes the loop, with the loop', () => {
    const dir = workspace();
    tree(dir, {
      'inv.yml': INV,
      'a.yml': '- debug: msg=a\n- include_tasks: b.yml\n',
      'b.yml': '- debug: msg=b\n- import_tasks: a.yml\n',
      'play.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - import_tasks: a.yml\n',
      'roles/r1/tasks/main.yml': '- include_role: { name: r1 }\n',
      'play-role.yml': '- hosts: all\n  gather_facts: false\n  roles: [r1]\n',
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'inv.yml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${dir}/b.yml:2:3: includes nest more than 20 deep, round the loop ${dir}/b.yml:2:3 -> ${dir}/a.yml:2:3 -> ${dir}/b.yml:2:3`,
    );
    const role = quorum(['validate', join(dir, 'play-role.yml'), '-i', join(dir, 'inv.yml')]);
    expect(role.code).toBe(1);
    expect(role.stderr).toContain(
      `${dir}/roles/r1/tasks/main.yml:1:3: includes nest more than 20 deep, round the loop`,
    );
  });
});
