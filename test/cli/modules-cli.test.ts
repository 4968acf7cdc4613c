/** `quorum modules`: what the "unknown module" hint points at exists and answers. */
import { describe, expect, it } from 'vitest';
import { quorum } from '../helpers/cli.ts';

describe('quorum modules', () => {
  it('lists every module with the Ansible names it answers to', () => {
    const r = quorum(['modules']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain('service (also systemd, systemd_service)');
    expect(lines).toContain('sysctl (also ansible.posix.sysctl)');
    expect(lines.length).toBeGreaterThan(30);
  });

  it('shows one module with its parameters and aliases', () => {
    const r = quorum(['modules', 'lineinfile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^path\s+string\s+\(required\)/m);
    expect(r.stdout).toContain('aliases: dest -> path, destfile -> path, name -> path');
  });

  it('an unknown name is an error that suggests a real one', () => {
    const r = quorum(['modules', 'linefile']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no module "linefile"');
    expect(r.stderr).toContain('did you mean "lineinfile"?');
  });
});
