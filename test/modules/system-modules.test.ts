import { describe, expect, it } from 'vitest';
import { commandModule, shellModule } from '../../src/modules/command.ts';
import { assertModule } from '../../src/modules/info.ts';
import { packageModules } from '../../src/modules/package.ts';
import { serviceModule } from '../../src/modules/service.ts';
import { modprobeModule, swapModule, sysctlModule } from '../../src/modules/system.ts';
import { validator } from '../../src/schema/ajv.ts';
import { fakeProbe, STAT_PROBE, stat } from '../helpers/fake-probe.ts';

const summaries = (o: { changes: Array<{ summary: string }> }) => o.changes.map((c) => c.summary);
const [packageModule] = packageModules;

describe('command and shell', () => {
  it('unguarded: always a change, flagged unpredictable', async () => {
    const out = await commandModule.plan(fakeProbe([]), { cmd: 'echo hi; rm x' });
    expect(out.unpredictable).toBe(true);
    // command has no shell: `;` stays a literal argument of the program exec'd
    expect(out.changes[0].action).toMatchObject({ kind: 'exec' });
    const { command } = out.changes[0].action as { command: string };
    expect(command.startsWith('__q_c=echo;')).toBe(true);
    expect(command.endsWith(`exec "$__q_c" 'hi;' rm x`)).toBe(true);
  });

  it('creates guard: converged when the path exists, runs when it does not', async () => {
    const guarded = (answer: string) =>
      shellModule.plan(fakeProbe([[STAT_PROBE, answer]]), { cmd: 'make install', creates: '/usr/bin/x' });
    expect((await guarded(stat.file(''))).changes).toEqual([]);
    expect((await guarded(stat.link('/opt/x'))).changes).toEqual([]);
    expect(summaries(await guarded(stat.absent))).toEqual(['run: make install']);
    // as Python's glob.glob (lexists): a link to nothing counts
    expect((await guarded(stat.danglingLink('/opt/gone'))).changes).toEqual([]);
  });

  it('removes guard: runs when the path exists, skipped when it does not', async () => {
    const guarded = (answer: string) =>
      shellModule.plan(fakeProbe([[STAT_PROBE, answer]]), { cmd: 'rm -rf /tmp/x', removes: '/tmp/x' });
    const out = await guarded(stat.dir());
    expect(summaries(out)).toEqual(['run: rm -rf /tmp/x']);
    expect(out.unpredictable).toBe(false);
    expect((await guarded(stat.absent)).changes).toEqual([]);
  });
});

describe('sysctl', () => {
  it('keeps the value in /etc/sysctl.conf, then loads that file, as ansible.posix.sysctl', async () => {
    const ctx = fakeProbe([
      [STAT_PROBE, stat.absent],
      [/sysctl -e -n/, '0\n'],
    ]);
    const out = await sysctlModule.plan(ctx, { name: 'net.ipv4.ip_forward', value: 1 });
    expect(summaries(out)).toEqual(['create /etc/sysctl.conf', 'load /etc/sysctl.conf']);
    expect(JSON.stringify(out.changes)).toContain('sysctl -p /etc/sysctl.conf');
  });

  it('the file right but the kernel not: loads the file again; ignoreerrors passes -e', async () => {
    const differs = fakeProbe([
      [STAT_PROBE, stat.file('kernel.y=1\n')],
      [/sysctl -e -n/, '0\n'],
    ]);
    const out = await sysctlModule.plan(differs, { name: 'kernel.y', value: 1, ignoreerrors: true });
    expect(summaries(out)).toEqual(['load /etc/sysctl.conf (kernel.y is 0 now)']);
    expect(JSON.stringify(out.changes)).toContain('sysctl -e -p /etc/sysctl.conf');
  });

  it('converged: the file has the value and the kernel too, whatever the spaces', async () => {
    const ctx = fakeProbe([
      [STAT_PROBE, stat.file('net.ipv4.ip_forward = 1\n')],
      [/sysctl -e -n/, '1\n'],
    ]);
    expect((await sysctlModule.plan(ctx, { name: 'net.ipv4.ip_forward', value: '1' })).changes).toEqual([]);
  });
});

describe('modprobe', () => {
  it.each([
    ['loaded: nothing to load', 'loaded', []],
    ['built in: nothing to load', 'builtin', []],
    ['absent: modprobe', 'absent', ['load kernel module br_netfilter']],
  ])('%s', async (_n, status, expected) => {
    const out = await modprobeModule.plan(fakeProbe([[/proc\/modules/, `${status}\n`]]), {
      name: 'br_netfilter',
    });
    expect(summaries(out)).toEqual(expected);
  });

  it('persists in modules-load.d', async () => {
    const ctx = fakeProbe([
      [/proc\/modules/, 'loaded\n'],
      [STAT_PROBE, stat.absent],
    ]);
    expect(summaries(await modprobeModule.plan(ctx, { name: 'overlay', persistent: 'present' }))).toEqual([
      'create /etc/modules-load.d/overlay.conf',
    ]);
  });
});

describe('swap', () => {
  it('turns swap off and comments it out of fstab', async () => {
    const fstab = 'UUID=1 / ext4 defaults 0 1\n/swapfile none swap sw 0 0\n';
    const ctx = fakeProbe([
      [/proc\/swaps/, '/swapfile file 100 0 -2\n'],
      [STAT_PROBE, stat.file(fstab)],
    ]);
    const out = await swapModule.plan(ctx, { state: 'off' });
    expect(summaries(out)).toEqual(['swapoff /swapfile', 'update /etc/fstab']);
    expect(out.changes[1].diff?.after).toBe('UUID=1 / ext4 defaults 0 1\n# /swapfile none swap sw 0 0\n');
  });

  it('converged: no active swap, no fstab entry', async () => {
    const ctx = fakeProbe([
      [/proc\/swaps/, ''],
      [STAT_PROBE, stat.file('UUID=1 / ext4 defaults 0 1\n')],
    ]);
    expect((await swapModule.plan(ctx, { state: 'off' })).changes).toEqual([]);
  });
});

describe('package (apt)', () => {
  const apt = { pkg_mgr: 'apt' as const };
  it('installs only what is missing, in one command', async () => {
    const ctx = fakeProbe([[/dpkg-query/, 'curl install ok installed 7.88\n']], apt);
    const out = await packageModule.plan(ctx, { name: ['curl', 'haproxy', 'keepalived'] });
    expect(summaries(out)).toEqual(['install haproxy, keepalived']);
  });

  it('allow_change_held_packages reaches apt-get, installing and removing (riemers gitlab_runner)', async () => {
    const ctx = () => fakeProbe([[/dpkg-query/, 'curl install ok installed 7.88\n']], apt);
    const command = (o: { changes: Array<{ action: unknown }> }) =>
      (o.changes[0].action as { command: string }).command;
    const install = await packageModule.plan(ctx(), { name: 'jq', allow_change_held_packages: true });
    expect(command(install)).toMatch(/apt-get install -y -q .* --allow-change-held-packages .*jq/);
    const remove = await packageModule.plan(ctx(), {
      name: 'curl',
      state: 'absent',
      allow_change_held_packages: true,
    });
    expect(command(remove)).toMatch(/apt-get remove -y -q .* --allow-change-held-packages curl/);
    expect(validator(packageModule.schema)({ name: 'jq', allow_change_held_packages: true })).toBe(true);
  });

  it('converged: everything installed', async () => {
    const ctx = fakeProbe([[/dpkg-query/, 'curl install ok installed 7.88\n']], apt);
    expect((await packageModule.plan(ctx, { name: 'curl' })).changes).toEqual([]);
  });

  it('refreshes the cache only when older than cache_valid_time', async () => {
    const fresh = fakeProbe(
      [
        [/update-success-stamp/, '100\n'],
        [/dpkg-query/, 'curl install ok installed 1\n'],
      ],
      apt,
    );
    expect(
      (await packageModule.plan(fresh, { name: 'curl', update_cache: true, cache_valid_time: 3600 })).changes,
    ).toEqual([]);
    const stale = fakeProbe(
      [
        [/update-success-stamp/, '7200\n'],
        [/dpkg-query/, 'curl install ok installed 1\n'],
      ],
      apt,
    );
    expect(
      summaries(
        await packageModule.plan(stale, { name: 'curl', update_cache: true, cache_valid_time: 3600 }),
      ),
    ).toEqual(['refresh the apt cache']);
    // as Ansible's apt: beside a package the refresh is never the task's change (it runs, the
    // task's status is the package's: a check run of an installed package predicts nothing)
    const [beside] = (
      await packageModule.plan(stale, { name: 'curl', update_cache: true, cache_valid_time: 3600 })
    ).changes;
    expect(beside.reportedUnchanged).toBe(true);
    // alone, a change only if the cache's time moved, which the refresh's output says
    const [refresh] = (await packageModule.plan(stale, { update_cache: true, cache_valid_time: 3600 }))
      .changes;
    expect(refresh.changedIf?.('Hit:1 http://deb.debian.org bookworm InRelease\n')).toBe(true);
    expect(refresh.changedIf?.('Hit:1 ...\nquorum: apt cache time unchanged\n')).toBe(false);
  });

  it('purge takes a removed package whose configuration files remain, as Ansible does', async () => {
    const ctx = fakeProbe(
      [[/dpkg-query/, 'telnet deinstall ok config-files 0.17\nrsh install ok installed 1\n']],
      apt,
    );
    const purge = await packageModule.plan(ctx, {
      name: ['telnet', 'rsh', 'xinetd'],
      state: 'absent',
      purge: true,
    });
    expect(summaries(purge)).toEqual(['purge telnet, rsh']);
    expect(JSON.stringify(purge.changes)).toContain('remove -y -q -o DPkg::Lock::Timeout=120 --purge');
    const remove = await packageModule.plan(ctx, { name: ['telnet', 'rsh'], state: 'absent' });
    expect(summaries(remove)).toEqual(['remove rsh']);
  });

  it('marks a named package apt holds as a dependency as installed by hand, not as a change (as Ansible)', async () => {
    const ctx = fakeProbe(
      [[/dpkg-query/, 'locales install ok installed 2.36\n--auto-installed--\nlocales\n']],
      apt,
    );
    const out = await packageModule.plan(ctx, { name: ['locales'] });
    expect(out.changes).toEqual([]);
    expect(out.waits).toEqual([{ kind: 'exec', command: 'apt-mark manual locales >/dev/null' }]);
    const manual = fakeProbe(
      [[/dpkg-query/, 'locales install ok installed 2.36\n--auto-installed--\n']],
      apt,
    );
    expect((await packageModule.plan(manual, { name: 'locales' })).waits).toBeUndefined();
  });

  it('policy_rc_d: apt-get runs under a policy-rc.d exiting with it, one already there put back', async () => {
    const ctx = fakeProbe([[/dpkg-query/, '--auto-installed--\n']], apt);
    const [install] = (await packageModule.plan(ctx, { name: 'nginx', policy_rc_d: 101 })).changes;
    const command = (install.action as { command: string }).command;
    expect(command).toContain("printf '#!/bin/sh\\nexit %d\\n' 101 > $f");
    expect(command).toMatch(
      /apt-get install -y -q .* nginx\nrc=\$\?\nif \[ -n "\$b" \]; then mv "\$b" \$f; else rm -f \$f; fi\nexit \$rc$/,
    );
  });

  it('autoclean and autoremove alone change only when apt-get would remove something', async () => {
    const clean = fakeProbe(
      [[/apt-get .* -s autoclean/, 'Reading package lists...\nDel curl 7.88 [300 kB]\n']],
      apt,
    );
    expect(summaries(await packageModule.plan(clean, { autoclean: true, autoremove: true }))).toEqual([
      'apt-get autoclean',
    ]);
    const nothing = fakeProbe(
      [[/apt-get .* -s --purge autoremove/, 'Reading package lists...\n0 upgraded\n']],
      apt,
    );
    expect((await packageModule.plan(nothing, { autoremove: true, purge: true })).changes).toEqual([]);
    expect(
      (await packageModule.plan(fakeProbe([], { pkg_mgr: 'dnf' }), { name: 'x', purge: true })).failed,
    ).toBe("purge: apt parameters, not dnf's");
  });

  it('fails clearly without a package manager', async () => {
    expect((await packageModule.plan(fakeProbe([]), { name: 'curl' })).failed).toMatch(
      /no supported package manager/,
    );
  });
});

describe('package (dnf)', () => {
  const dnf = { pkg_mgr: 'dnf' as const };
  it('installs what rpm does not know, removes what it does', async () => {
    const ctx = fakeProbe([[/rpm -q/, 'curl\n']], dnf);
    expect(summaries(await packageModule.plan(ctx, { name: ['curl', 'haproxy'] }))).toEqual([
      'install haproxy',
    ]);
    expect(summaries(await packageModule.plan(ctx, { name: ['curl', 'haproxy'], state: 'absent' }))).toEqual([
      'remove curl',
    ]);
    expect((await packageModule.plan(ctx, { name: 'curl' })).changes).toEqual([]);
  });

  it("upgrades everything for `*` with latest, with dnf's own options (konstruktoid's hardening)", async () => {
    const p = {
      name: '*',
      state: 'latest' as const,
      bugfix: true,
      security: true,
      nobest: true,
      disable_plugin: ['needrestart'],
    };
    const pending = fakeProbe([[/check-update/, '100\n']], dnf);
    const out = await packageModule.plan(pending, p);
    expect(summaries(out)).toEqual(['upgrade every package']);
    const command = (out.changes[0].action as { command: string }).command;
    expect(command).toBe('dnf upgrade -y -q --disableplugin=needrestart --nobest --bugfix --security');
    // the probe asks dnf with the same options: an update that is neither bugfix nor security is none
    expect(pending.seen[0]).toContain(
      'check-update --disableplugin=needrestart --nobest --bugfix --security',
    );
    expect((await packageModule.plan(fakeProbe([[/check-update/, '0\n']], dnf), p)).changes).toEqual([]);
    await expect(packageModule.plan(pending, { name: ['*', 'curl'], state: 'latest' })).rejects.toThrow(
      /only alone, with state latest/,
    );
  });

  it("refuses dnf's options on a host with apt, as Ansible's apt module does", async () => {
    const out = await packageModule.plan(fakeProbe([], { pkg_mgr: 'apt' }), {
      name: 'initscripts',
      disable_plugin: ['needrestart'],
    });
    expect(out.failed).toBe("disable_plugin: yum/dnf parameters, not apt's");
  });

  it("takes zypper's options on package (DataDog's role, under a SUSE when) and fails them where they run", async () => {
    const p = { name: 'datadog-agent=7.0', oldpackage: true };
    expect(packageModule.name).toBe('package');
    expect(validator(packageModule.schema)(p)).toBe(true);
    for (const pkg_mgr of ['apt', 'dnf'] as const)
      expect((await packageModule.plan(fakeProbe([], { pkg_mgr }), p)).failed).toBe(
        `oldpackage: zypper parameters, not ${pkg_mgr}'s`,
      );
  });
});

describe('service', () => {
  it.each([
    [
      'systemd: start a stopped service',
      'systemd',
      [[/systemctl is-active/, 'inactive\nenabled\n']],
      { name: 'x', state: 'started' },
      ['start x'],
    ],
    [
      'systemd: converged',
      'systemd',
      [[/systemctl is-active/, 'active\nenabled\n']],
      { name: 'x', state: 'started', enabled: true },
      [],
    ],
    [
      'systemd: enable',
      'systemd',
      [[/systemctl is-active/, 'active\ndisabled\n']],
      { name: 'x', enabled: true },
      ['enable x at boot'],
    ],
    [
      'systemd: mask first, as Ansible (dev-sec os_hardening)',
      'systemd',
      [[/systemctl is-active/, 'active\nenabled\n']],
      { name: 'x.socket', state: 'stopped', enabled: false, masked: true },
      ['mask x.socket', 'stop x.socket', 'disable x.socket at boot'],
    ],
    [
      'systemd: masked already',
      'systemd',
      [[/systemctl is-active/, 'inactive\nmasked\n']],
      { name: 'x.socket', state: 'stopped', enabled: false, masked: true },
      [],
    ],
    [
      'systemd: unmask',
      'systemd',
      [[/systemctl is-active/, 'inactive\nmasked\n']],
      { name: 'x', masked: false },
      ['unmask x'],
    ],
    [
      'init script: start',
      'none',
      [
        [/test -x/, { code: 0 }],
        [/status/, '3\n0\n'],
      ],
      { name: 'x', state: 'started' },
      ['start x'],
    ],
    [
      'init script: running, converged',
      'none',
      [
        [/test -x/, { code: 0 }],
        [/status/, '0\n1\n'],
      ],
      { name: 'x', state: 'started' },
      [],
    ],
    [
      'restarted always changes',
      'none',
      [
        [/test -x/, { code: 0 }],
        [/status/, '0\n1\n'],
      ],
      { name: 'x', state: 'restarted' },
      ['restart x'],
    ],
    [
      'use: systemd, the systemd module whatever the facts say (haxorof.docker_ce: use: "{{ ansible_service_mgr }}")',
      'none',
      [[/systemctl is-active/, 'inactive\nenabled\n']],
      { name: 'x', state: 'started', use: 'systemd' },
      ['start x'],
    ],
    [
      'use: sysvinit, the init script on a systemd host',
      'systemd',
      [
        [/test -x/, { code: 0 }],
        [/status/, '3\n0\n'],
      ],
      { name: 'x', state: 'started', use: 'sysvinit' },
      ['start x'],
    ],
    [
      'use: a manager 2.19 has no module of (openrc): the service module detects, as 2.19 falls back to it',
      'systemd',
      [[/systemctl is-active/, 'active\nenabled\n']],
      { name: 'x', state: 'started', use: 'openrc' },
      [],
    ],
    [
      'plain daemon: start',
      'none',
      [
        [/test -x/, { code: 1 }],
        [/kill -0/, 'down\n'],
      ],
      { name: 'x', state: 'started', command: '/usr/sbin/x -d', pidfile: '/run/x.pid' },
      ['start x'],
    ],
  ] as const)('%s', async (_n, init, answers, params, expected) => {
    const ctx = fakeProbe(answers as never, { init_system: init as never });
    expect(summaries(await serviceModule.plan(ctx, params as never))).toEqual(expected);
  });

  it('no_block: every systemctl call of the task with --no-block, as ansible.builtin.systemd runs them (debops tzdata)', async () => {
    const ctx = fakeProbe([[/systemctl is-active/, 'active\ndisabled\n']], { init_system: 'systemd' });
    const plan = await serviceModule.plan(ctx, {
      name: 'x',
      state: 'restarted',
      enabled: true,
      masked: false,
      daemon_reload: true,
      no_block: true,
    });
    expect(plan.changes.map((c) => (c.action as { command: string }).command)).toEqual([
      'systemctl --no-block daemon-reload',
      'systemctl --no-block restart x',
      'systemctl --no-block enable x',
    ]);
    const sysv = fakeProbe(
      [
        [/test -x/, { code: 0 }],
        [/status/, '0\n1\n'],
      ],
      { init_system: 'none' },
    );
    expect((await serviceModule.plan(sysv, { name: 'x', state: 'restarted', no_block: true })).failed).toBe(
      'no_block needs systemd; x is managed by initscript',
    );
  });

  it('fails clearly when nothing can manage the service', async () => {
    const ctx = fakeProbe([[/test -x/, { code: 1 }]], { init_system: 'none' });
    expect((await serviceModule.plan(ctx, { name: 'x', state: 'started' })).failed).toMatch(
      /cannot manage service x/,
    );
  });
});

describe('assert', () => {
  it('passes and fails with the expression language', async () => {
    const ctx = { ...fakeProbe([]), vars: { n: 3, name: 'cp1', list: ['a'] } };
    expect(
      (await assertModule.plan(ctx, { that: ['n > 2', "name == 'cp1'", "'a' in list"] })).failed,
    ).toBeUndefined();
    expect((await assertModule.plan(ctx, { that: 'n > 5', fail_msg: 'too small' })).failed).toBe('too small');
  });
});
