/**
 * What roles hand each other across hosts: publish (declared keys only; a value with a lifetime
 * and a refresh), lookup (known after apply in a check run), lookupFresh (renewed by its
 * producer when it expires within the time asked, once however many hosts ask).
 */
import type { RoleContext } from '../roles/define.ts';
import { Unknown } from '../template/unknown.ts';
import type { HostEnv } from './host.ts';
import { RoleFailure } from './role-failure.ts';
import type { RoleRunInfo, RunState } from './state.ts';

/** A read-only node's steps are checked, except a renewal a host inside the limit asked for. */
export const readOnlyNow = (info: RoleRunInfo) => info.readOnly === true && !info.renewingFor?.length;

export function publishedValues(
  run: RunState,
  host: HostEnv,
  info: RoleRunInfo,
): Pick<RoleContext, 'publish' | 'lookup' | 'lookupFresh'> {
  const publish: RoleContext['publish'] = (key, value, options) => {
    const declared = info.role.publishes;
    if (declared && !declared.includes(key))
      throw new RoleFailure(
        `role ${info.role.name} publishes "${key}", which its \`publishes\` does not list (${declared.join(', ') || 'none'})`,
      );
    if (options?.secret) run.addSecret(value);
    run.publish(info.role.name, host.name, key, value);
    const id = `${info.role.name} ${host.name} ${key}`;
    if (options?.expiresAt !== undefined)
      run.lifetimes.set(id, { expiresAt: options.expiresAt, refresh: options.refresh, producer: info });
    else run.lifetimes.delete(id);
  };
  const lookupFresh: RoleContext['lookupFresh'] = async (role, key, options = {}) => {
    const value = lookup(role, key, options.host);
    if (value instanceof Unknown) return value;
    const hosts = [...(run.published.get(role)?.keys() ?? [])];
    const producer = options.host ?? hosts[0];
    const id = `${role} ${producer} ${key}`;
    const life = run.lifetimes.get(id);
    if (!life || life.expiresAt > Date.now() + (options.validFor ?? 0) * 1000) return value;
    if (!life.refresh)
      throw new RoleFailure(`"${key}" published by ${role} on ${producer} has expired and cannot be renewed`);
    if (!life.refreshing) {
      // a host inside --limit asking a read-only producer: the renewal is a real change there
      const renewing =
        life.producer?.readOnly && !readOnlyNow(info) && !run.options.check ? life.producer : undefined;
      const state =
        value === undefined
          ? 'is made on first use'
          : life.expiresAt <= Date.now()
            ? 'has expired'
            : `expires in ${Math.round((life.expiresAt - Date.now()) / 1000)}s`;
      run.emit({
        type: 'warning',
        message: `${host.name}: "${key}" from ${role} on ${producer} ${state}; asking ${producer} for a fresh one${renewing ? ` (${producer} is outside --limit: read-only but for this)` : ''}`,
      });
      if (renewing) renewing.renewingFor = [...(renewing.renewingFor ?? []), host.name];
      life.refreshing = life.refresh().finally(() => {
        life.refreshing = undefined;
        if (renewing) renewing.renewingFor = renewing.renewingFor?.filter((h) => h !== host.name);
      });
    }
    await life.refreshing;
    return lookup(role, key, producer);
  };
  const lookup: RoleContext['lookup'] = (role, key, fromHost) => {
    const byHost = run.published.get(role);
    if (!byHost || byHost.size === 0) {
      if (run.options.check || info.readOnly) return new Unknown(`${role}.${key}`);
      throw new RoleFailure(`no value "${key}" was published by role ${role} (is it in "needs"?)`);
    }
    const hostName = fromHost ?? (byHost.size === 1 ? [...byHost.keys()][0] : undefined);
    if (!hostName)
      throw new RoleFailure(`role ${role} ran on several hosts; say which host to read "${key}" from`);
    const values = byHost.get(hostName);
    if (!values?.has(key)) {
      if (run.options.check || info.readOnly) return new Unknown(`${role}.${key}`);
      throw new RoleFailure(`role ${role} on ${hostName} did not publish "${key}"`);
    }
    return values.get(key);
  };
  return { publish, lookup, lookupFresh };
}
