/** ~/.ssh/config as OpenSSH reads it: Include, Match and %-tokens resolved by `ssh -G` itself. */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSshConfig } from '../../src/transport/ssh-config.ts';

const hasSsh = ['/usr/bin/ssh', '/bin/ssh'].some((p) => existsSync(p));

describe('ssh_config', () => {
  it('plain Host blocks are read directly: first value wins, defaults are not settings', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-sshcfg-'));
    const file = join(dir, 'config');
    writeFileSync(
      file,
      'Host web*\n  User deploy\n  Port 2222\nHost *\n  User other\n  IdentityFile ~/.ssh/lab\n',
    );
    expect(readSshConfig('web1', file)).toMatchObject({ user: 'deploy', port: 2222 });
    const db = readSshConfig('db1', file);
    expect([db.user, db.hostName, db.port]).toEqual(['other', undefined, undefined]);
  });

  it.runIf(hasSsh)('Include, Match and %h are resolved by OpenSSH, exactly as ssh connects', () => {
    const dir = mkdtempSync(join(tmpdir(), 'quorum-sshcfg-'));
    const file = join(dir, 'config');
    writeFileSync(join(dir, 'extra.conf'), 'Host db*\n  Port 2200\n');
    writeFileSync(
      file,
      `Include ${dir}/extra.conf\nMatch host web*\n  User deploy\n  HostName %h.example.test\nHost *\n  IdentityFile ${dir}/key_%h\n`,
    );
    expect(readSshConfig('web1', file)).toEqual({
      hostName: 'web1.example.test',
      user: 'deploy',
      port: undefined,
      identityFiles: [`${dir}/key_web1.example.test`], // %h is the HostName, as in OpenSSH
      proxyJump: undefined,
    });
    const db = readSshConfig('db1', file);
    expect([db.port, db.user, db.hostName]).toEqual([2200, undefined, undefined]);
  });
});
