/**
 * Play keywords written as templates (serial, max_fail_percentage, become, gather_facts; and
 * any_errors_fatal, which ansible-core does not render), rendered from the play's vars and -e before the plan, held to ansible-playbook
 * 2.19 on the same play: the order in which the hosts printed, and which hosts went on after a
 * failure. A value that cannot be rendered, or is no value of its keyword, is refused at its place.
 */
import { describe, expect, it } from 'vitest';
import { ansibleCurrent } from '../helpers/ansible-oracle.ts';
import { runLocal, steps, validateCli, workspace, writeFiles } from '../helpers/run-local.ts';

const HOSTS = ['h1', 'h2', 'h3']
  .map((h) => `${h} ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n`)
  .join('');

const PLAY = `
- hosts: all
  gather_facts: "{{ gather }}"
  serial: "{{ batch }}"
  any_errors_fatal: "{{ strict }}"
  vars: { gather: no, batch: 2, strict: "yes" }
  tasks:
    - debug: { msg: "one {{ inventory_hostname }}" }
    - fail: { msg: stop }
      when: inventory_hostname == 'h2'
    - debug: { msg: "two {{ inventory_hostname }}" }
`;

async function both(extra: string[]) {
  const dir = workspace();
  writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': PLAY });
  const extraVars = Object.fromEntries(extra.map((e) => e.split('=')));
  const [run, oracle] = await Promise.all([
    runLocal(dir, { extraVars }),
    ansibleCurrent(
      'ansible-playbook',
      ['-i', 'hosts.ini', 'play.yml', ...extra.flatMap((e) => ['-e', e])],
      dir,
    ),
  ]);
  const ansible = [...oracle.stdout.matchAll(/ok: \[(h\d)\] => \{\s*"msg": "([^"]*)"/g)].map((m) => m[2]);
  const quorum = steps(run)
    .filter((s) => s.module === 'debug' && s.status === 'ok')
    .map((s) => String(s.message));
  const warnings = run.events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
  return { ansible, quorum, warnings, codes: { ansible: oracle.code, quorum: run.code } };
}

/** Which batch each message came in: the hosts of one batch print in any order. */
const batches = (messages: string[], size: number) =>
  messages.map((m) => `${m.split(' ')[0]} ${Math.floor((Number(m.at(-1)) - 1) / size)}`);

describe('templated play keywords, as ansible-playbook 2.19', () => {
  it('serial and any_errors_fatal from play vars: the failing batch stops the play', async () => {
    const r = await both([]);
    expect(r.codes.ansible).toBe(2);
    expect(r.codes.quorum).toBe(2);
    expect([...r.quorum].sort()).toEqual([...r.ansible].sort());
    expect([...r.quorum].sort()).toEqual(['one h1', 'one h2']);
  });

  it('-e overrides them: serial 1, errors not fatal; a batch whose every host failed still stops the run', async () => {
    const r = await both(['batch=1', 'strict=false']);
    expect(r.codes.quorum).toBe(r.codes.ansible);
    expect(r.quorum).toEqual(r.ansible);
    // h2 alone in its batch fails: ansible-playbook runs no later batch (h3 prints nothing)
    expect(batches(r.quorum, 1)).toEqual(['one 0', 'two 0', 'one 1']);
  });

  it('any_errors_fatal as a template is not rendered by ansible-core: true whatever -e says, and quorum warns', async () => {
    const r = await both(['batch=2', 'strict=false']);
    expect(r.codes.quorum).toBe(r.codes.ansible);
    expect([...r.quorum].sort()).toEqual([...r.ansible].sort());
    expect([...r.quorum].sort()).toEqual(['one h1', 'one h2']);
    expect(r.warnings).toEqual([
      expect.stringMatching(
        /play\.yml:5:3: any_errors_fatal: "\{\{ strict \}\}" is not rendered by ansible-core/,
      ),
    ]);
  });

  it('serial as a list with a templated step: the batches it says', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': HOSTS,
      'play.yml':
        '- hosts: all\n  gather_facts: false\n  serial: [1, "{{ rest }}"]\n  vars: { rest: 2 }\n  tasks:\n    - debug: { msg: hi }\n',
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    const order = r.events.flatMap((e) =>
      e.type === 'node_start' || e.type === 'node_end' ? [`${e.type} ${e.host}`] : [],
    );
    // h1 alone first; h2 and h3 start only after it ended
    expect(order.indexOf('node_end h1')).toBeLessThan(order.indexOf('node_start h2'));
    expect(order.indexOf('node_end h1')).toBeLessThan(order.indexOf('node_start h3'));
    expect(order.indexOf('node_start h3')).toBeLessThan(order.indexOf('node_end h2'));
  });

  it('a value that is not one of its keyword, or cannot be rendered, is refused at its place', () => {
    const bad = validateCli('- hosts: all\n  serial: "{{ n }}"\n  vars: { n: many }\n  tasks: []\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/play\.yml:2:3: serial rendered to "many": expected a whole number/);
    const undef = validateCli('- hosts: all\n  max_fail_percentage: "{{ nope }}"\n  tasks: []\n');
    expect(undef.code).toBe(1);
    expect(undef.stderr).toMatch(/play\.yml:2:3: max_fail_percentage: .* cannot be rendered before the run/);
  });
});

describe("a task's run_once and throttle as templates, as ansible-playbook 2.19", () => {
  const play = `
- hosts: all
  gather_facts: false
  vars: { once: "yes", width: 1 }
  tasks:
    - debug: { msg: "once {{ inventory_hostname }}" }
      run_once: "{{ once }}"
    - debug: { msg: "each {{ inventory_hostname }}" }
      throttle: "{{ width }}"
    - debug: { msg: "half {{ inventory_hostname }}" }
      throttle: "{{ groups['all'] | length // 2 }}"
`;

  it('renders them from groups, the play vars and -e before the run: the hosts that print are the same', async () => {
    // 2.19 takes the rendered value's truth: -e once=no is the text "no", which is true
    for (const extra of [[], ['once=no'], ['{"once": false}']]) {
      const dir = workspace();
      writeFiles(dir, { 'hosts.ini': HOSTS, 'play.yml': play });
      const [run, oracle] = await Promise.all([
        runLocal(dir, {
          extraVars: Object.fromEntries(
            extra.flatMap(
              (e): Array<[string, unknown]> =>
                e.startsWith('{') ? Object.entries(JSON.parse(e)) : [e.split('=') as [string, string]],
            ),
          ),
        }),
        ansibleCurrent(
          'ansible-playbook',
          ['-i', 'hosts.ini', 'play.yml', ...extra.flatMap((e) => ['-e', e])],
          dir,
        ),
      ]);
      expect(oracle.code, oracle.stdout).toBe(0);
      const theirs = [...oracle.stdout.matchAll(/"msg": "([^"]*)"/g)].map((m) => m[1]).sort();
      const mine = steps(run)
        .filter((s) => s.module === 'debug' && s.status === 'ok')
        .map((s) => s.message)
        .sort();
      expect(mine).toEqual(theirs);
      expect(mine.filter((m) => m?.startsWith('once')).length).toBe(extra[0]?.startsWith('{') ? 3 : 1);
    }
  });

  it("refuses one that needs a host's own variables, at its place", () => {
    const r = validateCli(
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {}\n      run_once: "{{ is_first }}"\n',
      HOSTS,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /play\.yml:5:7: run_once: "\{\{ is_first \}\}" cannot be rendered before the run/,
    );
  });
});
