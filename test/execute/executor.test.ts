import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSteps, nodeEnds, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const hosts = (n: number) =>
  `${Array.from({ length: n }, (_, i) => `h${i + 1} ansible_connection=local`).join('\n')}\n`;

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) {
        out[`${p}/`] = st.mode.toString(8);
        walk(p);
      } else out[p] = `${st.mode.toString(8)}:${readFileSync(p, 'utf8')}`;
    }
  };
  walk(dir);
  return out;
}

describe('executor', () => {
  it('a failed node skips its dependents on other hosts, with the reason; unrelated hosts go on', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(3),
      'play.yml': `
- hosts: h1
  roles:
    - { role: producer, dir: ${dir}, fail: true }
- hosts: h2
  roles:
    - { role: consumer, dir: ${dir} }
- hosts: h3
  tasks:
    - copy: { dest: ${dir}/h3.txt, content: "independent\\n" }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    const ends = Object.fromEntries(nodeEnds(r).map((e) => [e.host, e]));
    expect(ends.h1).toMatchObject({ status: 'failed', reason: 'producer was told to fail' });
    expect(ends.h2).toMatchObject({ status: 'skipped', reason: 'needs role producer which failed on h1' });
    expect(ends.h3.status).toBe('changed');
    expect(readFileSync(join(dir, 'h3.txt'), 'utf8')).toBe('independent\n');
  });

  it('respects the --forks bound', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(4),
      'play.yml': '- hosts: all\n  tasks:\n    - shell: sleep 0.3\n',
    });
    expect((await runLocal(dir, { forks: 2 })).maxConcurrentActions).toBe(2);
    expect((await runLocal(dir, { forks: 1 })).maxConcurrentActions).toBe(1);
    expect((await runLocal(dir)).maxConcurrentActions).toBe(4);
  });

  it('check mode sends only probes to hosts and writes nothing', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(2),
      'play.yml': `
- hosts: all
  roles:
    - { role: writer, dir: ${dir} }
  tasks:
    - file: { path: "${dir}/{{ inventory_hostname }}-d", state: directory }
    - shell: echo hi > ${dir}/{{ inventory_hostname }}.out
`,
    });
    const before = snapshot(dir);
    const r = await runLocal(dir, { check: true });
    expect(r.code).toBe(0);
    for (const t of r.transports.values()) {
      expect(t.calls.length).toBeGreaterThan(0);
      expect(t.actions()).toEqual([]);
    }
    expect(snapshot(dir)).toEqual(before);
    expect(changedSteps(r).length).toBeGreaterThan(0);
  });

  it('the plan is true: what check says would change is exactly what apply changes', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(2),
      'play.yml': `
- hosts: all
  roles:
    - { role: writer, dir: ${dir} }
  tasks:
    - lineinfile: { path: "${dir}/{{ inventory_hostname }}.ini", line: "a=1", create: true }
    - file: { path: "${dir}/{{ inventory_hostname }}.ini", mode: "0600" }
    - command: touch ${dir}/{{ inventory_hostname }}.stamp
      args: { creates: "${dir}/{{ inventory_hostname }}.stamp" }
    - debug: { msg: hello }
`,
    });
    const check = await runLocal(dir, { check: true });
    const apply = await runLocal(dir);
    expect(apply.code).toBe(0);
    expect(changedSteps(check)).toEqual(changedSteps(apply));
    const again = await runLocal(dir);
    expect(changedSteps(again)).toEqual([]);
    expect(changedSteps(await runLocal(dir, { check: true }))).toEqual([]);
  });

  it('handlers run once per host, only when notified, and check mode says why they would run', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(2),
      'play.yml': `
- hosts: all
  roles:
    - { role: writer, dir: ${dir}, greeting: hi }
  tasks:
    - copy: { dest: "${dir}/{{ inventory_hostname }}.a", content: "a\\n" }
      notify: note
    - copy: { dest: "${dir}/{{ inventory_hostname }}.b", content: "b\\n" }
      notify: note
  handlers:
    - name: note
      shell: echo noted >> ${dir}/{{ inventory_hostname }}.notes
`,
    });
    const check = await runLocal(dir, { check: true });
    const handlers = check.events.filter((e) => e.type === 'handler');
    expect(handlers).toContainEqual(
      expect.objectContaining({
        host: 'h1',
        handler: 'writer: restart app',
        status: 'would_change',
        because: [expect.stringMatching(/^template .*h1\/app\.conf$/)],
      }),
    );
    expect(handlers).toContainEqual(
      expect.objectContaining({
        host: 'h1',
        handler: 'note',
        status: 'would_change',
        because: ['copy', 'copy'],
      }),
    );
    await runLocal(dir);
    expect(readFileSync(join(dir, 'h1.notes'), 'utf8')).toBe('noted\n');
    expect(readFileSync(join(dir, 'h2.restarts'), 'utf8')).toBe('restarted\n');
    const again = await runLocal(dir);
    expect(again.events.filter((e) => e.type === 'handler')).toEqual([]);
    expect(readFileSync(join(dir, 'h1.notes'), 'utf8')).toBe('noted\n');
  });

  it('cross-host values: published after apply, "known after apply" in check mode, secret everywhere', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(2),
      'play.yml': `
- hosts: h1
  roles:
    - { role: producer, dir: ${dir} }
- hosts: h2
  roles:
    - { role: consumer, dir: ${dir} }
`,
    });
    const check = await runLocal(dir, { check: true });
    const join2 = steps(check).find((s) => s.host === 'h2' && s.task.includes('join file'));
    expect(join2).toMatchObject({ status: 'would_change', prediction: true });
    const apply = await runLocal(dir);
    expect(apply.code).toBe(0);
    expect(readFileSync(join(dir, 'h2.join'), 'utf8')).toBe('join tok-SECRET-123\n');
    for (const r of [check, apply]) expect(JSON.stringify(r.events)).not.toContain('tok-SECRET-123');
    expect(changedSteps(await runLocal(dir))).toEqual([]);
  });

  it('any_errors_fatal stops every host; max_fail_percentage counts the batch', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(3),
      'play.yml': `
- hosts: all
  any_errors_fatal: true
  serial: 1
  tasks:
    - shell: "test {{ inventory_hostname }} != h1"
    - copy: { dest: "${dir}/{{ inventory_hostname }}.after", content: "x\\n" }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(
      nodeEnds(r)
        .filter((e) => e.host !== 'h1')
        .every((e) => e.status === 'skipped' && e.reason?.startsWith('any_errors_fatal')),
    ).toBe(true);

    writeFiles(dir, {
      'play.yml': `
- hosts: all
  max_fail_percentage: 40
  tasks:
    - shell: "test {{ inventory_hostname }} = h3"
    - copy: { dest: "${dir}/{{ inventory_hostname }}.mfp", content: "x\\n" }
`,
    });
    const m = await runLocal(dir, { forks: 1 });
    const copies = Object.fromEntries(
      nodeEnds(m)
        .filter((e) => e.item === 'copy')
        .map((e) => [e.host, e.reason]),
    );
    expect(copies).toEqual({
      h1: 'h1 failed earlier',
      h2: 'h2 failed earlier',
      h3: expect.stringContaining('max_fail_percentage 40%'),
    });
  });

  it('a failing command shows host, the quoted command, exit code and stderr tail', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(1),
      'play.yml': '- hosts: all\n  tasks:\n    - name: boom\n      shell: "echo oops >&2; exit 3"\n',
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(steps(r).find((s) => s.task === 'boom')).toMatchObject({
      host: 'h1',
      status: 'failed',
      error: { exitCode: 3, command: 'echo oops >&2; exit 3', stderrTail: 'oops' },
    });
  });

  it('loop, when, register and set_fact work together', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(1),
      'play.yml': `
- hosts: all
  vars: { names: [a, b, c] }
  tasks:
    - copy: { dest: "${dir}/{{ item }}.txt", content: "{{ item }}\\n" }
      loop: "{{ names }}"
      when: item != 'b'
      register: copies
    - set_fact: { count: 2 }
    - stat: { path: "${dir}/a.txt" }
      register: st
    - assert:
        that: ["st.stat.exists", "count == 2", "copies.changed"]
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith('.txt'))
        .sort(),
    ).toEqual(['a.txt', 'c.txt']);
    expect(
      steps(r)
        .filter((s) => s.status === 'skipped')
        .map((s) => s.item),
    ).toEqual(['b']);
  });
});

describe('registered results inside longer strings', () => {
  it('validates, then renders the registered value', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(1),
      'play.yml': `
- hosts: all
  tasks:
    - shell: echo hello
      register: out
      changed_when: false
    - stat: { path: "${dir}" }
      register: st
    - name: say
      debug: { msg: "said {{ out.stdout }}, folder {{ st.stat.exists }}" }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(steps(r).find((s) => s.task === 'say')?.message).toBe('said hello, folder True');
  });
});

describe("a check run's values known after apply", () => {
  it('a stat whose path is known after apply registers its stat as such: a condition on it is a prediction, not undefined', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(1),
      'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - copy: { dest: "${dir}/aide.conf", content: "@@include ${dir}/conf.d\\n" }
    # konstruktoid's hardening: read the file an earlier task makes, even in check mode
    - command: grep -m1 -E "^@@include" ${dir}/aide.conf
      register: grepped
      changed_when: false
      failed_when: false
      check_mode: false
    - set_fact: { include_d: "{{ 'false' if grepped.rc != 0 else grepped.stdout.split()[1] }}" }
    - stat: { path: "{{ include_d }}" }
      register: include_dir
    - name: only without the folder
      copy: { dest: "${dir}/note", content: "no folder\\n" }
      when: not include_dir.stat.exists
`,
    });
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    const last = steps(check).find((s) => s.task === 'only without the folder');
    expect(last?.status).toBe('would_change');
    expect(readdirSync(dir).sort()).toEqual(['hosts.ini', 'play.yml']);
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'note'), 'utf8')).toBe('no folder\n');
  });
});

describe("a check run's loops over values known after apply", () => {
  it("loops over a command's output (loop, with_subelements) are predictions, not failures", async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': hosts(1),
      'play.yml': `
- hosts: all
  gather_facts: false
  tasks:
    - shell: "printf 'a\\nb\\n'"
      register: lines
      changed_when: false
    - name: each line
      copy: { dest: "${dir}/{{ item }}", content: "{{ item }}\\n" }
      loop: "{{ lines.stdout_lines }}"
      register: written
    - shell: "echo {{ item }}"
      loop: [c, d]
      register: per_item
      changed_when: false
    # dev-sec's os_hardening: each line of each command's output
    - name: each output line
      copy: { dest: "${dir}/sub-{{ item.1 }}", content: "x\\n" }
      with_subelements:
        - "{{ per_item.results }}"
        - stdout_lines
`,
    });
    const check = await runLocal(dir, { check: true });
    expect(check.code).toBe(0);
    for (const name of ['each line', 'each output line']) {
      const step = steps(check).find((s) => s.task === name);
      expect(step?.status).toBe('would_change');
      expect(step?.changes[0]?.summary).toBe(`${name}: loop known after apply`);
    }
    expect(readdirSync(dir).sort()).toEqual(['hosts.ini', 'play.yml']);
    const r = await runLocal(dir);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'hosts.ini', 'play.yml', 'sub-c', 'sub-d']);
  });
});

describe('validated writes', () => {
  it('installs a file only when its validate command accepts it, and reports the failure', async () => {
    const dir = workspace();
    writeFiles(dir, {
      'hosts.ini': 'h1 ansible_connection=local\n',
      'play.yml': `
- hosts: all
  tasks:
    - copy: { dest: "${dir}/good.conf", content: "good\\n", validate: "grep -q good %s" }
    - name: rejected
      copy: { dest: "${dir}/bad.conf", content: "bad\\n", validate: "grep -q good %s" }
`,
    });
    const r = await runLocal(dir);
    expect(r.code).toBe(2);
    expect(readFileSync(join(dir, 'good.conf'), 'utf8')).toBe('good\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('bad') || f.startsWith('.quorum'))).toEqual([]);
    expect(steps(r).find((s) => s.task === 'rejected')).toMatchObject({
      status: 'failed',
      // copy's own words (ansible-core 2.19's copy.py), not the shell's
      error: { command: `write ${dir}/bad.conf`, message: 'failed to validate' },
    });
  });
});
