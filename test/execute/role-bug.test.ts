/** A bug in a role's own code is reported as the host's failure at the role file's line:col. */
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { FIXTURE_ROLES, nodeEnds, playCli, runLocal, workspace, writeFiles } from '../helpers/run-local.ts';

const FILE = join(FIXTURE_ROLES, 'buggy/index.ts');

function site() {
  const dir = workspace();
  writeFiles(dir, {
    'hosts.ini': 'h1 ansible_connection=local\n',
    'play.yml': '- hosts: all\n  roles:\n    - buggy\n',
  });
  return dir;
}

it('through the CLI (the role compiled by tsx): the failure names index.ts:15', () => {
  const r = playCli(site(), '--json');
  expect(r.code).toBe(2);
  const end = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l))
    .find((e) => e.type === 'node_end');
  expect(end.status).toBe('failed');
  expect(end.reason).toMatch(
    new RegExp(`^${FILE}:15:\\d+: Cannot read properties of undefined \\(reading 'first'\\)$`),
  );
});

it('in process (a role test): the same location', async () => {
  const r = await runLocal(site());
  expect(r.code).toBe(2);
  expect(nodeEnds(r)[0].reason).toMatch(new RegExp(`^${FILE}:15:\\d+: Cannot read properties of undefined`));
});
