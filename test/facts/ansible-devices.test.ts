/**
 * Block devices (`ansible_devices`, `ansible_device_links`), the load average and the system
 * capabilities held to ansible-core 2.19's setup on this machine, side by side, with a device
 * made for the test: a loop device over an image with two MBR partitions, and /dev/disk links
 * to it (by-id with a wwn-, by-uuid, by-label) as udev would make them. Everything it made is
 * removed after it; links already in /dev/disk are left as they are.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspace } from '../helpers/run-local.ts';
import type { Facts } from '../helpers/same-facts.ts';
import { blockDevices, whileUnchanged } from '../helpers/same-facts.ts';
import { sideBySide } from '../helpers/side-by-side.ts';

/** A 20 MiB image with an MBR: partitions at sectors 2048 (8 MiB) and 18432 (10 MiB). */
function partitionedImage(path: string) {
  const mbr = Buffer.alloc(512);
  [
    [2048, 16384],
    [18432, 20480],
  ].forEach(([start, count], i) => {
    const at = 446 + 16 * i;
    mbr[at + 4] = 0x83;
    mbr.writeUInt32LE(start, at + 8);
    mbr.writeUInt32LE(count, at + 12);
  });
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  const fd = openSync(path, 'w');
  writeSync(fd, mbr);
  writeSync(fd, Buffer.alloc(1), 0, 1, 20 * 1024 * 1024 - 1);
  closeSync(fd);
}

const FACTS = ['devices', 'device_links', 'loadavg', 'system_capabilities', 'system_capabilities_enforced'];

// one file per fact: a dict inside a list literal reaches to_json in key order (a known difference)
const dump = (d: string) => `
- hosts: all
  tasks:
${FACTS.map((f) => `    - copy: { dest: ${d}/${f}.json, content: "{{ ansible_${f} | to_json }}" }`).join('\n')}
`;

describe('block devices, load average and capabilities, as ansible-core 2.19 gathers them', () => {
  const made: string[] = [];
  let loop = '';
  let part = '';

  beforeAll(() => {
    const image = join(workspace(), 'disk.img');
    partitionedImage(image);
    loop = basename(execFileSync('losetup', ['-P', '-f', '--show', image], { encoding: 'utf8' }).trim());
    // a kernel that does not scan the table itself on attach is told to
    if (!existsSync(`/sys/block/${loop}/${loop}p1`)) execFileSync('partx', ['-a', `/dev/${loop}`]);
    part = `${loop}p1`;
    for (const [kind, name, target] of [
      ['by-id', `wwn-0x5000quorum${loop}`, loop],
      ['by-id', `quorum-disk-${loop}`, loop],
      ['by-uuid', `0000-quorum-${loop}`, part],
      ['by-label', `QUORUM_${loop}`, `${loop}p2`],
    ]) {
      const dir = `/dev/disk/${kind}`;
      if (!existsSync('/dev/disk')) made.push('/dev/disk');
      mkdirSync(dir, { recursive: true });
      symlinkSync(`../../${target}`, join(dir, name));
      made.push(join(dir, name));
    }
  });

  afterAll(() => {
    for (const path of made.reverse()) rmSync(path, { recursive: true, force: true });
    if (loop) execFileSync('losetup', ['-d', `/dev/${loop}`]);
  });

  it("gives the devices, their partitions and links Ansible's setup gives", async () => {
    const sides = await whileUnchanged(blockDevices, () => sideBySide(dump));
    expect([sides.run.code, sides.oracle.code], sides.oracle.stdout).toEqual([0, 0]);
    const read = (d: string) => {
      const [devices, links, load, caps, enforced] = FACTS.map((f) =>
        JSON.parse(readFileSync(join(d, `${f}.json`), 'utf8')),
      );
      return { devices, links, load, caps, enforced } as Facts;
    };
    const [mine, theirs] = [read(sides.out.quorum), read(sides.out.ansible)];
    expect(mine.devices).toEqual(theirs.devices);
    expect(mine.links).toEqual(theirs.links);
    expect([mine.caps, mine.enforced]).toEqual([theirs.caps, theirs.enforced]);
    expect(Object.keys(mine.load as Facts)).toEqual(Object.keys(theirs.load as Facts));
    // sysinfo's fixed-point loads, as glibc's getloadavg reads them (not /proc/loadavg's two decimals)
    for (const v of Object.values(mine.load as Facts))
      expect(Number.isInteger((v as number) * 65536)).toBe(true);
    // what the test made is in it: not an agreement on empty facts
    const disk = (mine.devices as Record<string, Facts>)[loop];
    expect(disk.wwn).toBe(`0x5000quorum${loop}`);
    expect(disk.size).toBe('20.00 MB');
    expect(Object.keys(disk.partitions as Facts)).toEqual(expect.arrayContaining([part, `${loop}p2`]));
    expect((disk.partitions as Record<string, Facts>)[part]).toMatchObject({
      start: '2048',
      sectors: 16384,
      size: '8.00 MB',
      uuid: `0000-quorum-${loop}`,
    });
    expect((mine.links as Record<string, Facts>).labels[`${loop}p2`]).toEqual([`QUORUM_${loop}`]);
    expect(readdirSync('/sys/block')).toContain(loop);
  });
});
