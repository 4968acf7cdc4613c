/**
 * assemble held to ansible-core 2.19's module and action plugin side by side: fragments on the
 * host (the default) and from the play's files/, in code point order, links followed, folders
 * and dangling links passed over, `regexp`, `ignore_hidden`, a delimiter with Python escapes,
 * validate, backup, mode, and the module's failures. The same statuses task by task, the same
 * registered fields and the same files; a second pass of the same tasks and a check run plan
 * nothing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assembled, escapeDecode } from '../../src/modules/assemble.ts';
import {
  checkPlansNothing,
  resultsTask,
  sameStatuses,
  sideBySide,
  tableTasks,
  writtenResults,
} from '../helpers/side-by-side.ts';

const TASKS = (d: string): Array<[string, string, boolean?]> => [
  ['assembled', `src: ${d}/frags, dest: ${d}/all`],
  ['again', `src: ${d}/frags, dest: ${d}/all`],
  ['a delimiter', `src: ${d}/frags, dest: ${d}/delimited, delimiter: "# --"`],
  ['escapes in the delimiter', `src: ${d}/frags, dest: ${d}/escaped, delimiter: '\\\\x41\\t\\n'`],
  ['regexp', `src: ${d}/frags, dest: ${d}/confs, regexp: '\\.conf$'`],
  ['ignore_hidden', `src: ${d}/frags, dest: ${d}/visible, ignore_hidden: true`],
  ['a mode', `src: ${d}/frags, dest: ${d}/all, mode: "0600"`],
  ['a backup of what was there', `src: ${d}/frags, dest: ${d}/old, backup: true`],
  ['validated', `src: ${d}/frags, dest: ${d}/valid, validate: "grep -q alpha %s"`],
  ['refused by validate', `src: ${d}/frags, dest: ${d}/invalid, validate: "grep -q nowhere %s"`, true],
  ['from files/', `src: lfrags, dest: ${d}/local, remote_src: false`],
  ['from files/ again', `src: lfrags, dest: ${d}/local, remote_src: false`],
  ['no such folder', `src: ${d}/none, dest: ${d}/x`, true],
  ['a file, not a folder', `src: ${d}/old, dest: ${d}/x`, true],
  ['a bad regexp', `src: ${d}/frags, dest: ${d}/x, regexp: "("`, true],
];

const play = (d: string, tasks = TASKS(d)) => `
- hosts: all
  gather_facts: false
  tasks:
${tableTasks('ansible.builtin.assemble', tasks)}
${resultsTask(`${d}/results.json`, tasks.length, ['invocation', 'backup_file', 'validation', 'diff'])}
`;

/** Each side's fragments: names whose code point order is not the locale's, a link, a folder, a dot-file. */
function fragments(d: string) {
  const f = join(d, 'frags');
  mkdirSync(join(f, 'sub'), { recursive: true });
  writeFileSync(join(f, '10-a.conf'), 'alpha\n');
  writeFileSync(join(f, '20-b.conf'), 'beta without a newline');
  writeFileSync(join(f, 'Z.conf'), 'zulu\n');
  writeFileSync(join(f, 'a.txt'), 'lower\n');
  writeFileSync(join(f, '.hidden'), 'hidden\n');
  writeFileSync(join(f, 'sub', 'inner'), 'never\n');
  symlinkSync('10-a.conf', join(f, '15-link.conf'));
  symlinkSync('nowhere', join(f, '16-dangling.conf'));
  writeFileSync(join(d, 'old'), 'what was there\n');
  return d;
}

describe('assemble, as ansible-core 2.19', () => {
  it('joins fragments as assemble_from_fragments does', () => {
    const parts = ['a\n', 'b', 'c\n'].map((s) => Buffer.from(s));
    expect(assembled(parts).toString()).toBe('a\nb\nc\n');
    expect(assembled(parts, '--').toString()).toBe('a\n--\nb\n--\nc\n');
    // decoded again at each use, as the module rebinds it: '\\\\n' is a backslash-n, then a newline
    expect(assembled(parts, '\\\\n').toString()).toBe('a\n\\n\nb\n\nc\n');
    expect(escapeDecode(Buffer.from('\\x41\\101\\q\\\n')).toString()).toBe('AA\\q');
  });

  it('writes what the module writes and registers what it registers', async () => {
    const sides = await sideBySide((d) => play(fragments(d)), {
      'files/lfrags/b': 'second\n',
      'files/lfrags/a': 'first',
    });
    const { dir, out } = sides;
    expect(sameStatuses(sides)).toMatchObject({
      assembled: 'changed',
      again: 'ok',
      'a mode': 'changed',
      'refused by validate': 'failed',
      'from files/': 'changed',
      'from files/ again': 'ok',
      'no such folder': 'failed',
    });
    const mine = writtenResults(join(out.quorum, 'results.json'), out.quorum);
    const theirs = writtenResults(join(out.ansible, 'results.json'), out.ansible);
    // from files/ the action plugin hands copy a temporary file on the host: its path is copy's src
    for (const i of [10, 11]) delete theirs[i].src;
    // a pattern Python's re refuses is refused, in JavaScript's words for why
    expect(mine[14].msg).toMatch(/^Invalid Regexp \(.+\) in "\("$/);
    mine[14].msg = theirs[14].msg;
    expect(mine).toEqual(theirs);
    for (const f of ['all', 'delimited', 'escaped', 'confs', 'visible', 'old', 'valid', 'local'])
      expect(readFileSync(join(out.quorum, f), 'utf8'), f).toBe(readFileSync(join(out.ansible, f), 'utf8'));
    expect(existsSync(join(out.quorum, 'invalid'))).toBe(false);
    const backups = (d: string) => readdirSync(d).filter((n) => n.startsWith('old.') && n.endsWith('~'));
    for (const d of [out.quorum, out.ansible]) {
      expect(backups(d)).toHaveLength(1);
      expect(readFileSync(join(d, backups(d)[0]), 'utf8')).toBe('what was there\n');
    }
    await checkPlansNothing(
      dir,
      play(
        out.quorum,
        TASKS(out.quorum).filter(([, , fails]) => !fails),
      ),
    );
  }, 120_000);
});
