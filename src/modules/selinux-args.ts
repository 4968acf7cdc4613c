/**
 * Ansible's file common arguments for SELinux contexts (`seuser`, `serole`, `setype`, `selevel`)
 * on the modules that take them (add_file_common_args in 2.19's argument specs: file, copy,
 * template, assemble, lineinfile, blockinfile, replace, get_url, unarchive, uri, yum_repository,
 * and the collections' ini_file, archive, htpasswd, openssh_keypair). Where the host's kernel
 * runs without SELinux (Debian's default) they do nothing, as 2.19's set_context_if_different
 * returns at `not selinux_enabled()`. Where it runs SELinux, quorum does not set contexts: the
 * task fails saying so, rather than leave a file in a context the role did not ask for.
 */
import type { ModuleDef, ModuleOutcome, ProbeContext } from './types.ts';

const CONTEXT_ARGS = ['seuser', 'serole', 'setype', 'selevel'] as const;

/**
 * libselinux's is_selinux_enabled() is 1 when selinuxfs is mounted (its own check, since 2.x);
 * its mount point holds `enforce`. One read per host (the probe cache answers it again).
 */
const SELINUX_MOUNTED =
  'if [ -e /sys/fs/selinux/enforce ] || [ -e /selinux/enforce ]; then echo on; else echo off; fi';

function withoutContexts<P>(params: P): P {
  const rest = { ...(params as Record<string, unknown>) };
  for (const k of CONTEXT_ARGS) delete rest[k];
  return rest as P;
}

async function contextsRefused(ctx: ProbeContext, given: string[]): Promise<ModuleOutcome | undefined> {
  if ((await ctx.probe(SELINUX_MOUNTED)).stdout.trim() !== 'on') return undefined;
  return {
    changes: [],
    failed: `SELinux is enabled on ${ctx.host} and quorum does not set SELinux contexts (${given.join(', ')}): run this task with Ansible, or drop the parameter`,
  };
}

export function withContextArgs<P>(mod: ModuleDef<P>): ModuleDef<P> {
  const schema = mod.schema as { properties: Record<string, unknown> };
  const { check } = mod;
  return {
    ...mod,
    schema: {
      ...schema,
      properties: {
        ...schema.properties,
        ...Object.fromEntries(CONTEXT_ARGS.map((k) => [k, { type: 'string' }])),
      },
    },
    ...(check ? { check: (params, ...rest) => check(withoutContexts(params), ...rest) } : {}),
    async plan(ctx, params) {
      const given = CONTEXT_ARGS.filter((k) => (params as Record<string, unknown>)[k] !== undefined);
      const refused = given.length ? await contextsRefused(ctx, given) : undefined;
      return refused ?? mod.plan(ctx, withoutContexts(params));
    },
  };
}
