/**
 * A TypeScript role's notify names a handler of the role, checked before the step runs: a typo
 * fails the host on its first run (check runs and converged runs included) with a did-you-mean,
 * before the step writes anything, instead of on the first run that happens to change something.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { defineRole } from '../../src/index.ts';
import { nodeEnds, runLocal, steps, workspace, writeFiles } from '../helpers/run-local.ts';

const failure = (r: Awaited<ReturnType<typeof runLocal>>) => JSON.stringify(nodeEnds(r).map((e) => e.reason));

it('a notify naming no handler fails before the step writes, with a did-you-mean', async () => {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': `- hosts: all\n  roles:\n    - { role: typo-notify, dir: ${dir} }\n`,
  });
  const hint = 'step \\"copy '; // the step is named in the message
  for (const check of [true, false]) {
    const r = await runLocal(dir, { check });
    expect(r.code).toBe(2);
    expect(failure(r)).toContain(
      'notifies \\"restrat app\\", which is no handler of role typo-notify: did you mean \\"restart app\\"?',
    );
    expect(failure(r)).toContain(hint);
    expect(steps(r)).toEqual([]);
    expect(existsSync(join(dir, 'app.conf'))).toBe(false);
  }
  // converged already: the typo is still found, not hidden until the next change
  writeFileSync(join(dir, 'app.conf'), 'x\n');
  const converged = await runLocal(dir);
  expect(converged.code).toBe(2);
  expect(failure(converged)).toContain('did you mean \\"restart app\\"?');
});

it('tsc catches the typo when the role names its handlers (defineRole<Params, Handlers>)', () => {
  // checked by `tsc --noEmit` (CI): each @ts-expect-error line must be a type error
  const role = defineRole<{ dir: string }, 'restart app'>({
    name: 'typed',
    description: 'handler names in the type',
    params: {
      type: 'object',
      properties: { dir: { type: 'string' } },
      required: ['dir'],
      additionalProperties: false,
    },
    handlers: { async 'restart app'() {} },
    async run(ctx) {
      await ctx.copy({ dest: '/dev/null', content: '' }, { notify: 'restart app' });
      // @ts-expect-error 'restrat app' is no handler name of this role
      await ctx.copy({ dest: '/dev/null', content: '' }, { notify: 'restrat app' });
      // @ts-expect-error the same through ctx.notify
      ctx.notify('restrat app');
    },
  });
  expect(Object.keys(role.handlers ?? {})).toEqual(['restart app']);
});
