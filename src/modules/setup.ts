/**
 * `setup` and `gather_facts`: the host's facts under Ansible's names, gathered again in the
 * task's own way (its become, its fact_path for local facts), `filter` as ansible-core 2.19
 * applies it (fnmatch on the ansible_ names, the prefix added to a bare pattern). `set_stats`:
 * custom statistics, which Ansible's default output does not show: the task reports them only.
 */
import { ansibleFactsFrom, ansibleFactVars, factName } from '../facts/ansible-names.ts';
import { ansibleFactsScript } from '../facts/ansible-script.ts';
import { fnmatchRegExp } from '../inventory/patterns.ts';
import { isVariableName } from '../template/var-names.ts';
import { defineModule } from './types.ts';

interface SetupParams {
  gather_subset?: unknown;
  gather_timeout?: number;
  filter?: string | string[];
  fact_path?: string;
  parallel?: boolean;
}

const setupSchema = {
  type: 'object',
  properties: {
    // every subset is gathered (quorum's facts are one probe): a narrower subset gives more facts than Ansible's
    gather_subset: {},
    gather_timeout: { type: 'integer' },
    filter: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    fact_path: { type: 'string' },
  },
  additionalProperties: false,
};

function filtered(facts: Record<string, unknown>, filter: string | string[] | undefined) {
  const specs = typeof filter === 'string' ? [filter] : (filter ?? []);
  if (specs.length === 0 || (specs.length === 1 && specs[0] === '*')) return facts;
  const out: Record<string, unknown> = {};
  for (const f of specs) {
    const plain = fnmatchRegExp(f);
    const prefixed = /^(ansible_|facter|ohai)/.test(f) ? undefined : fnmatchRegExp(`ansible_${f}`);
    for (const [k, v] of Object.entries(facts))
      if (!f || plain.test(factName(k)) || prefixed?.test(factName(k))) out[k] = v;
  }
  return out;
}

export const setupModule = defineModule<SetupParams>({
  name: 'setup',
  schema: setupSchema,
  async plan(ctx, p) {
    const r = await ctx.probe(ansibleFactsScript(p.fact_path));
    if (r.code !== 0 && !r.stdout)
      return { changes: [], failed: `fact gathering failed: ${r.stderr.trim()}` };
    const gathered = ansibleFactsFrom(r.stdout, await ctx.facts());
    const facts = filtered(gathered.facts, p.filter);
    // they join the facts the host has (the engine merges `ansible_facts`: a filter replaces only what it names)
    const vars = ansibleFactVars(facts);
    const prefixed = Object.fromEntries(Object.entries(facts).map(([k, v]) => [factName(k), v]));
    const warnings = gathered.warnings.length > 0 ? { warnings: gathered.warnings } : {};
    return { changes: [], facts: vars, result: { ansible_facts: prefixed, ...warnings } };
  },
});

export const gatherFactsModule = defineModule<SetupParams>({
  ...setupModule,
  name: 'gather_facts',
  // one host's facts are one probe: parallel changes nothing
  schema: { ...setupSchema, properties: { ...setupSchema.properties, parallel: { type: 'boolean' } } },
});

export const setStatsModule = defineModule<{ data?: unknown; per_host?: boolean; aggregate?: boolean }>({
  name: 'set_stats',
  schema: {
    type: 'object',
    properties: { data: {}, per_host: { type: 'boolean' }, aggregate: { type: 'boolean' } },
    additionalProperties: false,
  },
  async plan(_ctx, p) {
    const data = p.data ?? {};
    if (!data || typeof data !== 'object' || Array.isArray(data))
      return { changes: [], failed: "The 'data' option needs to be a dictionary/hash" };
    for (const k of Object.keys(data))
      if (!isVariableName(k))
        return {
          changes: [],
          failed: `Task failed: Invalid variable name '${k}'.`,
        };
    const stats = { data, per_host: p.per_host ?? false, aggregate: p.aggregate ?? true };
    return { changes: [], result: { ansible_stats: stats } };
  },
});
