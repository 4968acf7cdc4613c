/**
 * meta: reset_connection: the host's transport starts a new session before the next command,
 * and no probe of a later step goes out ahead of it (look-ahead stops there): what the next steps
 * read comes from the new session (a group the user was just added to applies). The new session
 * itself on real SSH, with and without the keeper: test/e2e/lab-reset.suite.ts.
 */
import { expect, it } from 'vitest';
import { runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

it('resets the connection in its place, nothing of the later steps sent before it', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': `- hosts: all
  tasks:
    - file: { path: ${dir}, state: directory }
    - meta: reset_connection
    - stat: { path: ${dir}/after-reset }
    - copy: { dest: ${dir}/after-reset, content: "x\\n" }
`,
  });
  const r = await runLocal(dir);
  expect(r.code).toBe(0);
  const calls = r.transports.get('h1')!.calls.map((c) => c.command);
  const reset = calls.indexOf('(reset_connection)');
  expect(reset).toBeGreaterThan(0);
  // the stat and the copy's reads of after-reset: all after the reset (the converged first step
  // throws nothing away that look-ahead sent with it)
  const reads = calls.flatMap((c, i) => (c !== '(reset_connection)' && c.includes('after-reset') ? [i] : []));
  expect(reads.length).toBeGreaterThan(0);
  expect(Math.min(...reads)).toBeGreaterThan(reset);
  expect(r.events).toContainEqual(
    expect.objectContaining({ type: 'step', module: 'meta', message: 'reset connection', status: 'ok' }),
  );
});
