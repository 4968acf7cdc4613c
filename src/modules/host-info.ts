/**
 * Read-only modules that ask the host: `service_facts` (the `services` variable, as Ansible
 * names it), `getent` and `package_facts`.
 */
import { sh } from '../transport/shell.ts';
import { readDpkg } from './apt-parts.ts';
import { defineModule } from './types.ts';

interface Service {
  name: string;
  state: string;
  status: string;
  source: string;
}

/** systemctl's unit files and units, as Ansible's service_facts reports them. */
export function parseServices(files: string, units: string): Record<string, Service> {
  const out: Record<string, Service> = {};
  for (const line of files.split('\n')) {
    const [name, status] = line.trim().split(/\s+/);
    if (name?.endsWith('.service'))
      out[name] = { name, state: 'stopped', status: status ?? 'unknown', source: 'systemd' };
  }
  for (const line of units.split('\n')) {
    const [name, , active, sub] = line
      .replace(/^\S*●\s*/, '')
      .trim()
      .split(/\s+/);
    if (!name?.endsWith('.service')) continue;
    const state = sub === 'running' ? 'running' : active === 'failed' ? 'failed' : 'stopped';
    out[name] = { name, state, status: out[name]?.status ?? 'not-found', source: 'systemd' };
  }
  return out;
}

export const packageFactsModule = defineModule<{ manager?: string | string[]; strategy?: string }>({
  name: 'package_facts',
  schema: {
    type: 'object',
    properties: { manager: {}, strategy: { type: 'string' } },
    additionalProperties: false,
  },
  async plan(ctx) {
    const r = await readDpkg(
      ctx,
      "if command -v dpkg-query >/dev/null; then dpkg-query -W -f='${db:Status-Status} ${Package} ${Version} ${Architecture}\\n' | awk '$1 == \"installed\" {print \"apt\", $2, $3, $4}'; elif command -v rpm >/dev/null; then rpm -qa --qf 'rpm %{NAME} %{VERSION}-%{RELEASE} %{ARCH}\\n'; fi",
    );
    const packages: Record<string, Array<Record<string, string>>> = {};
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const [source, name, version, arch] = line.split(' ');
      (packages[name] ??= []).push({ name, version, arch, source });
    }
    return {
      changes: [],
      facts: { packages },
      result: { ansible_facts: { packages } },
    };
  },
});

export const serviceFactsModule = defineModule<Record<string, never>>({
  name: 'service_facts',
  schema: { type: 'object', additionalProperties: false },
  async plan(ctx) {
    const r = await ctx.probe(
      'if [ -d /run/systemd/system ]; then systemctl list-unit-files --type=service --no-legend --no-pager; echo --; systemctl list-units --type=service --all --no-legend --no-pager; else echo --; fi',
    );
    const [files = '', units = ''] = r.stdout.split('--\n');
    const services = parseServices(files, units);
    return {
      changes: [],
      facts: { services },
      result: { ansible_facts: { services } },
    };
  },
});

interface GetentParams {
  database: string;
  key?: string;
  split?: string;
  fail_key?: boolean;
}

/** `getent`: a database's entries as the variable getent_<database> ({key: [fields]}). */
export const getentModule = defineModule<GetentParams>({
  name: 'getent',
  schema: {
    type: 'object',
    properties: {
      database: { type: 'string', pattern: '^[a-z]+$' },
      key: { type: 'string' },
      split: { type: 'string' },
      fail_key: { type: 'boolean' },
    },
    required: ['database'],
    additionalProperties: false,
  },
  async plan(ctx, p) {
    const r = await ctx.probe(sh`getent ${p.database} ${p.key ? [p.key] : []}`);
    if (r.code === 2 && p.key && p.fail_key !== false)
      return { changes: [], failed: `"${p.key}" not found in ${p.database}` };
    if (r.code !== 0 && r.code !== 2)
      return { changes: [], failed: `getent ${p.database} failed (exit ${r.code})` };
    const split =
      p.split ?? (['passwd', 'group', 'shadow', 'gshadow'].includes(p.database) ? ':' : undefined);
    const entries: Record<string, string[]> = {};
    for (const line of r.stdout.split('\n').filter(Boolean)) {
      const fields = split ? line.split(split) : line.trim().split(/\s+/);
      entries[fields[0]] = fields.slice(1);
    }
    const facts = { [`getent_${p.database}`]: entries };
    return { changes: [], facts, result: { ansible_facts: { [`getent_${p.database}`]: entries } } };
  },
});
