// ci: changes this machine (its own state, which the lab hosts' root overlays show): never beside the lab
/**
 * debconf held to ansible-core 2.19's module on this machine's debconf database: the same tasks,
 * each side under a package name of its own, must change (or not) task by task as Ansible's do,
 * quirks included (a boolean compared in lower case, a multiselect list sorted, a number
 * failing as 2.19 fails it), and leave the same answers behind; a check run changes nothing.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runLocal, steps } from '../helpers/run-local.ts';
import { ansibleStatuses, sideBySide } from '../helpers/side-by-side.ts';

const TASKS: Array<[string, string]> = [
  ['new text', 'question: q/text, vtype: string, value: hello'],
  ['the same text', 'question: q/text, vtype: string, value: hello'],
  ['a boolean', 'question: q/flag, vtype: boolean, value: true'],
  ['the boolean in capitals', 'question: q/flag, vtype: boolean, value: "TRUE"'],
  ['a multiselect', 'question: q/multi, vtype: multiselect, value: [b, a]'],
  ['the multiselect reordered', 'question: q/multi, vtype: multiselect, value: [a, b]'],
  ['a password', 'question: q/secret, vtype: password, value: s3cret'],
  ['the same password', 'question: q/secret, vtype: password, value: s3cret'],
  ['unseen', 'question: q/later, vtype: select, value: x, unseen: true'],
  ['only read', '{}'],
  ['a number', 'question: q/count, vtype: string, value: 5'],
];

/** A package name of its own per side and test folder (debconf keeps answers machine-wide). */
const pkgOf = (out: string) => `quorum-test-${createHash('sha1').update(out).digest('hex').slice(0, 10)}`;

const play = (out: string) => `
- hosts: all
  gather_facts: false
  tasks:
${TASKS.map(
  ([name, args]) =>
    `    - name: ${name}\n      debconf: { name: ${pkgOf(out)}${args === '{}' ? '' : `, ${args}`} }\n      no_log: ${name.includes('password')}\n      ignore_errors: ${name === 'a number'}`,
).join('\n')}
`;

const answers = (pkg: string) =>
  execFileSync('debconf-get-selections', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith(`${pkg}\t`))
    .map((l) => l.slice(pkg.length))
    .sort();

describe('debconf, as ansible-core 2.19', () => {
  it('changes what Ansible changes, task by task, and leaves the same answers', async () => {
    // debconf's database takes a lock: the two sides one after the other
    const r = await sideBySide(play, {}, undefined, true);
    expect(r.oracle.code, r.oracle.stdout).toBe(0);
    expect(r.run.code).toBe(0);
    // by place: no_log makes every value of its task a secret of the run, and "password" (the
    // vtype) is then masked wherever it is printed, task names included
    const quorum = Object.fromEntries(steps(r.run).map((s, i) => [TASKS[i][0], s.status]));
    expect(quorum).toEqual(ansibleStatuses(r.oracle.stdout));
    expect(quorum).toMatchObject({ 'the same text': 'ok', 'a number': 'failed', 'the same password': 'ok' });
    const [mine, theirs] = [answers(pkgOf(r.out.quorum)), answers(pkgOf(r.out.ansible))];
    expect(mine).toEqual(theirs);
    expect(mine.length).toBe(5);
    // the password is never shown
    expect(JSON.stringify(r.run.events)).not.toContain('s3cret');
    // a check run on the converged answers: nothing would change; the number fails again
    const check = await runLocal(r.dir, { check: true });
    expect(
      steps(check)
        .map((s, i) => `${TASKS[i][0]} ${s.status}`)
        .filter((s) => !s.endsWith(' ok')),
    ).toEqual(['a number failed']);
  });
});
