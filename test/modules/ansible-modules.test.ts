/** The modules added for Ansible roles: probe answers + params -> the changes (or nothing). */
import { describe, expect, it } from 'vitest';
import { groupModule, userModule } from '../../src/modules/accounts.ts';
import { parseServices, serviceFactsModule } from '../../src/modules/host-info.ts';
import { editIni } from '../../src/modules/ini.ts';
import { mountModule } from '../../src/modules/mount.ts';
import { pacmanModule } from '../../src/modules/pacman.ts';
import { pipModule } from '../../src/modules/pip.ts';
import { deb822RepositoryModule, deb822Text, rpmKeyModule } from '../../src/modules/repos.ts';
import { serviceModule } from '../../src/modules/service.ts';
import { timezoneModule } from '../../src/modules/timezone.ts';
import { unarchiveModule } from '../../src/modules/unarchive.ts';
import { fakeProbe, STAT_PROBE, stat } from '../helpers/fake-probe.ts';

const summaries = (o: { changes: Array<{ summary: string }> }) => o.changes.map((c) => c.summary);
const commands = (o: { changes: Array<{ action: { kind: string; command?: string } }> }) =>
  o.changes.map((c) => (c.action.kind === 'exec' ? c.action.command : c.action.kind));

describe('user and group', () => {
  const passwd = 'web:x:1001:1001:Web:/home/web:/bin/sh\nweb\nweb adm\n';
  it.each([
    [
      'absent user is created with its options',
      '',
      { name: 'web', shell: '/bin/bash', create_home: false, groups: 'adm,sudo' },
      ['useradd -G adm,sudo -s /bin/bash -M web'],
    ],
    ['converged user: nothing', passwd, { name: 'web', shell: '/bin/sh', groups: ['adm'] }, []],
    ['shell differs', passwd, { name: 'web', shell: '/bin/bash' }, ['usermod -s /bin/bash web']],
    ['groups replaced unless append', passwd, { name: 'web', groups: 'sudo' }, ['usermod -G sudo web']],
    ['groups appended', passwd, { name: 'web', groups: 'sudo', append: true }, ['usermod -G adm,sudo web']],
    ['absent: removed', passwd, { name: 'web', state: 'absent', remove: true }, ['userdel -r web']],
  ])('%s', async (_n, answer, params, expected) => {
    const out = await userModule.plan(fakeProbe([[/getent passwd/, answer]]), params as never);
    expect(commands(out)).toEqual(expected);
  });

  it.each([
    ['created with its gid', '', { name: 'web', gid: 900, system: true }, ['groupadd -g 900 -r web']],
    ['gid differs', 'web:x:1001:\n', { name: 'web', gid: 900 }, ['groupmod -g 900 web']],
    ['converged', 'web:x:900:\n', { name: 'web', gid: 900 }, []],
  ])('group %s', async (_n, answer, params, expected) => {
    expect(commands(await groupModule.plan(fakeProbe([[/getent group/, answer]]), params as never))).toEqual(
      expected,
    );
  });
});

describe('mount and timezone', () => {
  const swap = { path: 'none', src: '/swapfile', fstype: 'swap', opts: 'sw', state: 'present' };
  it('adds the fstab entry once, and never mounts swap', async () => {
    const out = await mountModule.plan(fakeProbe([[/awk/, '--\n']]), swap as never);
    expect(summaries(out)).toEqual(['fstab entry for none']);
    const converged = await mountModule.plan(
      fakeProbe([[/awk/, '/swapfile none swap sw 0 0\n--\n']]),
      swap as never,
    );
    expect(converged.changes).toEqual([]);
  });
  it('mounts a mounted entry that is not mounted, and unmounts an absent one', async () => {
    const p = { path: '/data', src: '/dev/sdb1', fstype: 'ext4', state: 'mounted' };
    const out = await mountModule.plan(
      fakeProbe([[/awk/, '/dev/sdb1\t/data\text4\tdefaults\t0\t0\n--\n']]),
      p as never,
    );
    expect(summaries(out)).toEqual(['mount /data']);
    const gone = await mountModule.plan(
      fakeProbe([[/awk/, '/dev/sdb1 /data ext4 defaults 0 0\n--\n/dev/sdb1\n']]),
      { ...p, state: 'absent' } as never,
    );
    expect(summaries(gone)).toEqual(['remove the fstab entry for /data', 'unmount /data']);
  });
  it('timezone: converged when /etc/localtime points at it', async () => {
    const at = (link: string, file: string) => fakeProbe([[/readlink/, `${link}\n--\n${file}\n`]]);
    expect(
      (await timezoneModule.plan(at('/usr/share/zoneinfo/Etc/UTC', 'Etc/UTC'), { name: 'Etc/UTC' })).changes,
    ).toEqual([]);
    expect(
      summaries(
        await timezoneModule.plan(at('/usr/share/zoneinfo/Etc/UTC', 'Etc/UTC'), { name: 'Europe/Paris' }),
      ),
    ).toEqual(['timezone Etc/UTC -> Europe/Paris']);
  });
});

describe('ini_file', () => {
  const text = 'top = 1\n[main]\nenabled = 0\nname = x\n\n[other]\nkey = v\n';
  it.each([
    [
      'replaces an option in its section',
      { section: 'main', option: 'enabled', value: 1 },
      'top = 1\n[main]\nenabled = 1\nname = x\n\n[other]\nkey = v\n',
    ],
    [
      "adds an option after the section's last line",
      { section: 'main', option: 'new', value: 'y' },
      'top = 1\n[main]\nenabled = 0\nname = x\nnew = y\n\n[other]\nkey = v\n',
    ],
    [
      'adds a missing section at the end',
      { section: 'extra', option: 'a', value: 'b', no_extra_spaces: true },
      `${text}[extra]\na=b\n`,
    ],
    [
      'removes an option',
      { section: 'other', option: 'key', state: 'absent' },
      'top = 1\n[main]\nenabled = 0\nname = x\n\n[other]\n',
    ],
    ['removes a section', { section: 'main', state: 'absent' }, 'top = 1\n[other]\nkey = v\n'],
    ['sets a global option', { section: null, option: 'top', value: 2 }, text.replace('top = 1', 'top = 2')],
  ])('%s', (_n, p, expected) => {
    expect(editIni(text, { path: '/f', ...p } as never)).toBe(expected);
  });
});

describe('unarchive, pip, pacman', () => {
  // what it unpacks and when: held to 2.19 in test/modules/unarchive.test.ts
  it('refuses before any host what it does not take, and a controller archive that is not there', () => {
    const none = () => {
      throw new Error('cannot find file "a.tgz"');
    };
    expect(
      unarchiveModule.check?.({ src: '/a.tgz', dest: '/x', remote_src: true, extra_opts: ['-v'] }, () => ''),
    ).toEqual([expect.stringMatching(/extra_opts is not supported/)]);
    expect(
      unarchiveModule.check?.({ src: '/a.tgz', dest: '/x', remote_src: true, copy: false }, () => ''),
    ).toEqual(["parameters are mutually exclusive: ('copy', 'remote_src')"]);
    expect(() => unarchiveModule.check?.({ src: 'a.tgz', dest: '/x' }, () => '', undefined, none)).toThrow(
      /a\.tgz/,
    );
  });
  it('pip installs what is missing or at another version', async () => {
    // the probe's answer: its marker, then pip list --format=freeze
    const ctx = () => fakeProbe([[/list --format=freeze/, '\u0001piplist\ndocker==7.0.0\nPyYAML==6.0\n']]);
    const summaries = async (p: Parameters<typeof pipModule.plan>[1]) =>
      (await pipModule.plan(ctx(), p)).changes.map((c) => c.summary);
    expect(await summaries({ name: ['docker', 'pyyaml'] })).toEqual([]);
    expect(await summaries({ name: 'docker>=7,<8' })).toEqual([]);
    expect(await summaries({ name: 'docker', version: '7.1.0' })).toEqual(['pip install docker==7.1.0']);
    expect(await summaries({ name: 'pyyaml', state: 'absent' })).toEqual(['pip uninstall -y pyyaml']);
  });
  it('pacman installs only what is missing', async () => {
    const out = await pacmanModule.plan(fakeProbe([[/pacman -Q/, 'redis 7.2-1\n']]), {
      name: ['redis', 'jq'],
    });
    expect(commands(out)).toEqual(['pacman --noconfirm --noprogressbar --needed --sync jq']);
  });
  it("pacman's force, extra_args and remove_nosave as community.general.pacman writes its commands", async () => {
    const out = await pacmanModule.plan(fakeProbe([[/pacman -Q/, 'iptables 1.8-1\n']]), {
      name: 'iptables',
      state: 'absent',
      force: true,
      remove_nosave: true,
      extra_args: '--dbonly',
      update_cache: true,
    });
    expect(commands(out)).toEqual([
      'pacman --sync --refresh --refresh',
      'pacman --remove --noconfirm --noprogressbar --dbonly --nodeps --nodeps --nosave iptables',
    ]);
  });
});

describe('repositories', () => {
  const p = {
    name: 'docker',
    uris: 'https://download.docker.com/linux/debian',
    suites: 'bookworm',
    components: 'stable',
    signed_by: 'https://download.docker.com/linux/debian/gpg',
  };
  it('writes the .sources file Ansible writes and fetches its key once', async () => {
    expect(deb822Text(p, '/etc/apt/keyrings/docker.asc')).toBe(
      'X-Repolib-Name: docker\nTypes: deb\nURIs: https://download.docker.com/linux/debian\nSuites: bookworm\nComponents: stable\nSigned-By: /etc/apt/keyrings/docker.asc\n',
    );
    const fresh = await deb822RepositoryModule.plan(fakeProbe([[STAT_PROBE, stat.absent]]), p);
    expect(summaries(fresh)[0]).toBe(
      'fetch the signing key https://download.docker.com/linux/debian/gpg to /etc/apt/keyrings/docker.asc',
    );
    const done = await deb822RepositoryModule.plan(
      fakeProbe([[STAT_PROBE, stat.file(deb822Text(p, '/etc/apt/keyrings/docker.asc'))]]),
      p,
    );
    expect(done.changes).toEqual([]);
  });
  it('rpm_key imports a key that rpm does not have', async () => {
    expect(
      summaries(
        await rpmKeyModule.plan(fakeProbe([[/gpg --with-colons/, '621e9f35\nabsent\n']]), { key: '/k.asc' }),
      ),
    ).toEqual(['import key /k.asc']);
    expect(
      (
        await rpmKeyModule.plan(fakeProbe([[/gpg --with-colons/, '621e9f35\ninstalled\n']]), {
          key: '/k.asc',
        })
      ).changes,
    ).toEqual([]);
  });
});

describe('host information', () => {
  it('service_facts: services by unit name, with state and status', async () => {
    const files = 'ssh.service enabled enabled\nchrony.service disabled enabled\n';
    const units = '  ssh.service loaded active running OpenSSH\n● bad.service loaded failed failed Bad\n';
    expect(parseServices(files, units)).toMatchObject({
      'ssh.service': { state: 'running', status: 'enabled' },
      'chrony.service': { state: 'stopped', status: 'disabled' },
      'bad.service': { state: 'failed' },
    });
    const out = await serviceFactsModule.plan(fakeProbe([[/systemctl/, `${files}--\n${units}`]]), {});
    expect(Object.keys((out.facts as { services: object }).services)).toContain('ssh.service');
  });
  it('systemd daemon_reload alone is work done, never a change', async () => {
    const out = await serviceModule.plan(fakeProbe([]), { daemon_reload: true });
    expect(out.changes).toEqual([]);
    expect(out.waits).toEqual([{ kind: 'exec', command: 'systemctl daemon-reload' }]);
  });
  it("takes systemd's aliases daemon-reload and daemon-reexec, reloading before re-executing as it does", async () => {
    const { canonicalKeys } = await import('../../src/modules/args.ts');
    const params = canonicalKeys(serviceModule as never, { 'daemon-reexec': true, 'daemon-reload': true });
    const out = await serviceModule.plan(fakeProbe([]), params);
    expect(out.changes).toEqual([]);
    expect(out.waits).toEqual([
      { kind: 'exec', command: 'systemctl daemon-reload' },
      { kind: 'exec', command: 'systemctl daemon-reexec' },
    ]);
  });
});

describe('fail, getent, apt_key', () => {
  it('fail fails with its message', async () => {
    const { failModule } = await import('../../src/modules/info.ts');
    expect((await failModule.plan(fakeProbe([]), { msg: 'no' })).failed).toBe('no');
  });
  it('getent sets getent_<database> (the engine puts it inside ansible_facts too: module-facts.test.ts), and a missing key fails', async () => {
    const { getentModule } = await import('../../src/modules/host-info.ts');
    const out = await getentModule.plan(fakeProbe([[/getent passwd/, 'root:x:0:0:root:/root:/bin/bash\n']]), {
      database: 'passwd',
      key: 'root',
    });
    const root = { root: ['x', '0', '0', 'root', '/root', '/bin/bash'] };
    expect(out.facts?.getent_passwd).toEqual(root);
    const missing = await getentModule.plan(fakeProbe([[/getent passwd/, { code: 2 }]]), {
      database: 'passwd',
      key: 'nobody-here',
    });
    expect(missing.failed).toMatch(/not found/);
  });
  it('apt_key adds a key apt does not list, and refuses a key with no source, or a keyserver without its id', async () => {
    const { aptKeyModule } = await import('../../src/modules/apt-key.ts');
    const out = await aptKeyModule.plan(fakeProbe([[/apt-key/, 'ABCDEF0123456789\nabsent\n']]), {
      url: 'https://example.test/k',
    });
    expect(summaries(out)).toEqual(['add key ABCDEF0123456789']);
    expect(aptKeyModule.check?.({ id: 'ABCDEF01' }, () => '')).toEqual([
      'apt_key needs url, data, file or keyserver',
    ]);
    expect(aptKeyModule.check?.({ keyserver: 'hkp://keys.test' }, () => '')).toEqual([
      'Missing key_id, required with keyserver.',
    ]);
    expect(
      aptKeyModule.check?.({ keyserver: 'hkp://keys.test', url: 'https://k', id: 'ABCDEF01' }, () => ''),
    ).toEqual(['parameters are mutually exclusive: data|file|keyserver|url']);
  });
});

describe('authorized_key, hostname, copy backup/force, set_fact cacheable', () => {
  it('authorized_key adds a key once, keyed by type and body (options and comment aside)', async () => {
    const { authorizedKeyModule } = await import('../../src/modules/accounts-extra.ts');
    const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE deploy@laptop';
    const probe = (content: string) =>
      fakeProbe([
        [/getent passwd/, '/home/web\n'],
        [STAT_PROBE, stat.file(content)],
      ]);
    expect(summaries(await authorizedKeyModule.plan(probe(''), { user: 'web', key }))).toEqual([
      'update /home/web/.ssh/authorized_keys',
      'mode 0644 -> 0600',
      'owner root -> web',
    ]);
    expect(
      (
        await authorizedKeyModule.plan(
          probe('from="10.0.0.1" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE old\n'),
          { user: 'web', key },
        )
      ).changes,
    ).toEqual([]);
  });
  it('hostname sets the name now and in /etc/hostname', async () => {
    const { hostnameModule } = await import('../../src/modules/accounts-extra.ts');
    expect(
      summaries(await hostnameModule.plan(fakeProbe([[/hostname/, 'old\n--\nold\n']]), { name: 'web1' })),
    ).toEqual(['hostname old -> web1', '/etc/hostname -> web1']);
    expect(
      (await hostnameModule.plan(fakeProbe([[/hostname/, 'web1\n--\nweb1\n']]), { name: 'web1' })).changes,
    ).toEqual([]);
  });
  it('copy: backup keeps the old file first; force: false leaves an existing file', async () => {
    const { copyModule } = await import('../../src/modules/copy.ts');
    const backed = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.file('old\n')]]), {
      dest: '/etc/x',
      content: 'new\n',
      backup: true,
    });
    expect(summaries(backed)).toEqual(['keep the old /etc/x beside it', 'update /etc/x']);
    const kept = await copyModule.plan(fakeProbe([[STAT_PROBE, stat.file('old\n')]]), {
      dest: '/etc/x',
      content: 'new\n',
      force: false,
    });
    expect(kept.changes).toEqual([]);
  });
  it('set_fact: cacheable is a keyword, not a fact', async () => {
    const { setFactModule } = await import('../../src/modules/info.ts');
    expect((await setFactModule.plan(fakeProbe([]), { a: 1, cacheable: true })).facts).toEqual({ a: 1 });
  });
});

describe('find, dnf repositories', () => {
  it('find lists what matches, hidden files aside unless asked', async () => {
    const { findModule } = await import('../../src/modules/find.ts');
    // the host's clock, then the path's entries as find -printf lists them (find-walk.ts)
    const entry = (name: string, size: number, mode: string) =>
      `f\tf\t${mode}\t0\t0\troot\troot\t${size}\t7\t64768\t1\t1.5\t2.25\t3.0\t/etc/x/${name}\0`;
    const listing = `1700000000.5\n\u0001root\0/etc/x\0dir\0${entry('a.conf', 10, '644')}${entry('.b.conf', 5, '600')}${entry('c.txt', 1, '644')}`;
    const out = await findModule.plan(fakeProbe([[/^date \+%s\.%N; printf/, listing]]), {
      paths: '/etc/x',
      patterns: '*.conf',
    });
    const result = out.result as { files: Array<Record<string, unknown>>; examined: number };
    expect(result.files).toEqual([
      expect.objectContaining({
        path: '/etc/x/a.conf',
        size: 10,
        mode: '0644',
        pw_name: 'root',
        mtime: 2.25,
      }),
    ]);
    // every entry of the folder walked counts, as the module counts them
    expect(result.examined).toBe(3);
  });
  it('enablerepo reaches dnf and is refused for apt', async () => {
    const { packageModules } = await import('../../src/modules/package.ts');
    const dnf = packageModules.find((m) => m.name === 'dnf')!;
    expect(
      commands(await dnf.plan(fakeProbe([[/rpm -q/, '']]), { name: 'fail2ban', enablerepo: 'epel' })),
    ).toEqual(['dnf install -y -q --enablerepo=epel fail2ban']);
    const pkg = packageModules.find((m) => m.name === 'package')!;
    expect(
      (await pkg.plan(fakeProbe([], { pkg_mgr: 'apt' }), { name: 'x', enablerepo: 'epel' })).failed,
    ).toMatch(/yum\/dnf parameters/);
  });
});
