/**
 * Honest results and safe output: ignore_errors reported as ignored, skipped nodes counted,
 * control characters escaped in text, no_log failures silent, hostile wait_for hosts inert,
 * a broken -e named.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitForModule } from '../../src/modules/wait-for.ts';
import { type RunEvent, redact, redactOldSecrets } from '../../src/report/events.ts';
import { textReporter } from '../../src/report/text.ts';
import { quorum } from '../helpers/cli.ts';
import { fakeProbe } from '../helpers/fake-probe.ts';
import { playCli, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const recapOf = (events: RunEvent[]) =>
  (events.find((e) => e.type === 'recap') as Extract<RunEvent, { type: 'recap' }>).hosts;

describe('honest results', () => {
  it('ignore_errors: reported as ignored, counted apart, the run goes on and exits 0', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  tasks:
    - name: may fail
      command: "false"
      register: r
      ignore_errors: true
    - name: after
      debug: { msg: "it failed and we went on" }
      when: r is failed
`,
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(0);
    const step = run.events.find((e) => e.type === 'step' && e.task === 'may fail');
    expect(step).toMatchObject({ status: 'failed', ignored: true });
    expect(recapOf(run.events).h1).toMatchObject({ failed: 0, ignored: 1 });
    expect(run.events.some((e) => e.type === 'step' && e.task === 'after' && e.status === 'ok')).toBe(true);
  });

  it('the recap counts the failure, and not the steps the failed host never ran (as ansible-playbook)', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml':
        '- hosts: all\n  tasks:\n    - command: "false"\n    - command: "true"\n    - command: "true"\n',
    });
    const run = await runLocal(dir);
    expect(run.code).toBe(2);
    expect(recapOf(run.events).h1).toMatchObject({ ok: 0, failed: 1, skipped: 0 });
    // the nodes themselves still say why they did not run
    expect(
      run.events.filter((e) => e.type === 'node_end').map((e) => (e as { status: string }).status),
    ).toEqual(['failed', 'skipped', 'skipped']);
  });

  it('a failing no_log task shows neither its stderr nor its command', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  tasks:\n    - shell: "echo token-S3CRET >&2; exit 3"\n      no_log: true\n`,
    });
    for (const args of [['--json'], []]) {
      const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), ...args]);
      expect(r.code).toBe(2);
      expect(r.stdout + r.stderr).not.toContain('S3CRET');
      expect(r.stdout).toContain('details hidden: no_log');
    }
  });
});

it('a one-character secret is masked in texts, never in the names reporters key on', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': '[all]\nhop1 ansible_connection=local\n',
    'play.yml': `- hosts: all
  tasks:
    - debug: { msg: "p" }
      no_log: true
    - name: print a step
      command: echo up
`,
  });
  const run = await runLocal(dir);
  expect(run.code).toBe(0);
  const step = run.events.find((e) => e.type === 'step' && e.module === 'command');
  expect(step).toMatchObject({
    type: 'step',
    host: 'hop1',
    status: 'changed',
    task: '********rint a ste********',
  });
  expect(recapOf(run.events).hop1).toMatchObject({ changed: 1 });
});

describe('safe output', () => {
  it('the text reporter escapes control characters: a value cannot forge a report line', () => {
    let out = '';
    const report = textReporter({ tty: false, verbose: 0, write: (s) => (out += s) });
    report({
      type: 'step',
      host: 'h1\nOK h2 all fine',
      node: 'n',
      task: 'motd\r\x1b[2K',
      module: 'command',
      status: 'failed',
      changes: [],
      error: { message: 'bad\nFAILED h3', stderrTail: 'line one\nline\x1b]0;title\x07 two' },
    });
    const lines = out.split('\n').filter(Boolean);
    expect(lines[0]).toBe('FAILED h1\\nOK h2 all fine motd\\r\\x1b[2K');
    expect(lines[1]).toBe('    error: bad\\nFAILED h3');
    expect(lines.slice(2)).toEqual(['    | line one', '    | line\\x1b]0;title\\x07 two']);
  });

  it('wait_for: a hostile host stays an argument, never shell text', async () => {
    const marker = join(workspace(), 'pwned');
    const out = await waitForModule.plan(fakeProbe([]), {
      host: `127.0.0.1/9) 2>/dev/null; touch ${marker}; (:`,
      port: 9,
      timeout: 0,
    });
    const command = (out.waits![0] as { command: string }).command;
    try {
      execFileSync('sh', ['-c', command], { stdio: 'ignore', timeout: 10_000 });
    } catch {}
    expect(existsSync(marker)).toBe(false);
  });

  it('-e with a broken quote names the -e', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': '- hosts: all\n  tasks: []\n',
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '-e', 'k=a "b']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('-e "k=a \\"b": No closing quotation');
  });
});

describe('files a task names', () => {
  it('a template or copy src that does not exist is an input error before any host is touched', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  tasks:
    - copy: { dest: "${dir}/first", content: "x" }
    - template: { src: nowhere.conf.j2, dest: "${dir}/second" }
`,
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: cannot find template "nowhere\.conf\.j2"/);
    expect(existsSync(join(dir, 'first'))).toBe(false);
  });

  it('a copy src named by its absolute path is controller state: said before the run, copied once an earlier task made it, failed where still missing', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  tasks:
    - copy: { dest: "${dir}/made", content: "x" }
    - copy: { src: "${dir}/made", dest: "${dir}/copied" }
    - copy: { src: "${dir}/never", dest: "${dir}/nothing" }
`,
    });
    const r = quorum(['validate', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/play\.yml:4:\d+: cannot find file ".*made" \(now; the task fails when it runs/);
    const run = await runLocal(dir);
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'copied'))).toBe(true);
    expect(steps(run).map((s) => s.status)).toEqual(['changed', 'changed', 'failed']);
  });
});

describe('secrets in diffs', () => {
  it('the before side hides what sits where a secret goes: the old value of a secret param', () => {
    const before = 'vrrp_instance VI_1 {\n    auth_pass oldpass1\n    priority 101\n}';
    const after = 'vrrp_instance VI_1 {\n    auth_pass labvrrp1\n    priority 101\n}';
    const event = redact(
      {
        type: 'step',
        changes: [{ summary: 'update', diff: { path: '/etc/keepalived/keepalived.conf', before, after } }],
      },
      new Set(['labvrrp1']),
    );
    expect(event.changes[0].diff).toEqual({
      path: '/etc/keepalived/keepalived.conf',
      before: 'vrrp_instance VI_1 {\n    auth_pass ********(old)\n    priority 101\n}',
      after: 'vrrp_instance VI_1 {\n    auth_pass ********\n    priority 101\n}',
    });
  });

  it('a secret that is a whole line hides every line of before that the run replaces', () => {
    expect(redactOldSecrets('tok-OLD\nkeep\n', 'tok-NEW\nkeep\n', new Set(['tok-NEW']))).toBe(
      '********(old)\nkeep\n',
    );
  });

  it('--diff of a role whose secret changed shows neither value (text, JSON)', () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all\n  roles:\n    - { role: producer, dir: "${dir}" }\n`,
    });
    const play = (token: string, ...args: string[]) => playCli(dir, '-e', `token=${token}`, ...args);
    expect(play('first-T0KEN').code).toBe(0);
    const runs = [['--diff'], ['--diff', '--json'], ['--diff', '--check']];
    runs.forEach((args, i) => {
      // each run replaces the token the run before wrote (the check run would replace it)
      const r = play(`next${i}-T0KEN`, ...args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('********(old)');
      expect(r.stdout).not.toMatch(/[a-z0-9]+-T0KEN/);
    });
  });
});

describe('predictions read as predictions', () => {
  it('a step that cannot be probed before earlier changes says why, not as an error', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  tasks:
    - copy: { dest: "${dir}/tool", content: "#!/bin/sh\\necho 1.2\\n", mode: "0755" }
    - name: tool version
      query: { cmd: "${dir}/tool" }
`,
    });
    const run = await runLocal(dir, { check: true });
    expect(run.code).toBe(0);
    const step = run.events.find((e) => e.type === 'step' && e.task === 'tool version');
    expect(step).toMatchObject({ status: 'would_change', prediction: true });
    expect((step as { message: string }).message).toMatch(
      /^known after apply: probing it now fails because 1 earlier change\(s\) on this host have not been made \(.*exit 127/,
    );
  });
});

describe('check mode: will change and may change', () => {
  it('a step that depends on an earlier predicted change is "may change", counted apart', async () => {
    const dir = workspace();
    mkdirSync(join(dir, 'other'));
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  tasks:
    - name: a folder
      file: { path: "${dir}/conf", state: directory }
    - name: a file in it
      copy: { dest: "${dir}/conf/app.ini", content: "x\\n" }
    - name: a file elsewhere
      copy: { dest: "${dir}/other/b", content: "y\\n" }
    - name: a command
      command: "true"
    - name: after the command
      copy: { dest: "${dir}/other/c", content: "z\\n" }
`,
    });
    const run = await runLocal(dir, { check: true });
    expect(run.code).toBe(0);
    const kinds = Object.fromEntries(steps(run).map((s) => [s.task, s.maybe ? 'may' : s.status]));
    expect(kinds).toEqual({
      'a folder': 'would_change',
      'a file in it': 'may',
      'a file elsewhere': 'would_change',
      'a command': 'would_change',
      'after the command': 'may',
    });
    expect(recapOf(run.events).h1).toMatchObject({ changed: 3, maybe: 2 });
    let text = '';
    const report = textReporter({ tty: false, verbose: 0, write: (s) => (text += s) });
    for (const e of run.events) report(e);
    expect(text).toMatch(/^MAY CHANGE h1 a file in it$/m);
    expect(text).toMatch(/^WOULD CHANGE h1 a file elsewhere$/m);
    expect(text).toMatch(/changed=3 .* may_change=2/);
  });
});

describe('no_log and diff written as templates', () => {
  it('are rendered per host; one that cannot be rendered hides, as the safe side', async () => {
    const dir = workspace();
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFiles(dir, {
      'hosts.ini': '[all]\nh1 ansible_connection=local\n',
      'play.yml': `- hosts: all
  gather_facts: false
  vars: { mask: true }
  tasks:
    - name: hidden by a template
      shell: "echo token-HIDDEN1 >&2; exit 3"
      no_log: "{{ false if lookup('env', 'NO_SUCH_VAR_Q') else true }}"
      ignore_errors: true
    - name: shown by a template
      shell: "echo token-SHOWN2 >&2; exit 3"
      no_log: "{{ not mask }}"
      ignore_errors: true
    - name: hidden, its template fails
      shell: "echo token-HIDDEN3 >&2; exit 3"
      no_log: "{{ no_such_variable }}"
      ignore_errors: true
    - name: a word
      shell: "echo token-HIDDEN4 >&2; exit 3"
      no_log: "yes"
      ignore_errors: true
    - name: masked diff
      copy: { dest: "${out}/a", content: "diff-MASKED5" }
      diff: "{{ not mask }}"
    - name: shown diff
      copy: { dest: "${out}/b", content: "diff-SHOWN6" }
      diff: "{{ mask }}"
`,
    });
    const r = quorum(['play', join(dir, 'play.yml'), '-i', join(dir, 'hosts.ini'), '--json', '--diff']);
    expect(r.code).toBe(0);
    const text = r.stdout + r.stderr;
    for (const hidden of ['HIDDEN1', 'HIDDEN3', 'HIDDEN4', 'MASKED5'])
      expect(text, hidden).not.toContain(hidden);
    for (const shown of ['SHOWN2', 'SHOWN6']) expect(text, shown).toContain(shown);
  });
});
