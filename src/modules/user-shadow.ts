/**
 * The shadow side of `user`: password hash, lock, account expiry and the password ageing
 * fields, compared as ansible-core 2.19's user module compares them (modules/user.py,
 * modify_user and set_password_expire) so that the same tasks change.
 */
import { sh } from '../transport/shell.ts';
import type { Change } from './types.ts';

export interface ShadowParams {
  password?: string;
  update_password?: 'always' | 'on_create';
  password_lock?: boolean;
  expires?: number;
  password_expire_min?: number;
  password_expire_max?: number;
  password_expire_warn?: number;
  password_expire_account_disable?: number;
}

export const SHADOW_SCHEMA = {
  password: { type: 'string' },
  update_password: { enum: ['always', 'on_create'] },
  password_lock: { type: 'boolean' },
  expires: { type: 'number' },
  password_expire_min: { type: 'integer' },
  password_expire_max: { type: 'integer' },
  password_expire_warn: { type: 'integer' },
  password_expire_account_disable: { type: 'integer' },
};

/** usermod/useradd's -e argument: the UTC day of an epoch time, '' (no expiry) when negative. */
const expiryDate = (epoch: number) => (epoch < 0 ? '' : new Date(epoch * 1000).toISOString().slice(0, 10));

/** The flags of useradd for a new user (the ageing fields follow through chage). */
export function shadowCreateFlags(p: ShadowParams): string[] {
  return [
    ...(p.expires !== undefined ? ['-e', expiryDate(p.expires)] : []),
    ...(p.password_expire_account_disable !== undefined
      ? ['-f', String(p.password_expire_account_disable)]
      : []),
    ...(p.password !== undefined ? ['-p', p.password_lock ? `!${p.password}` : p.password] : []),
  ];
}

/** A shadow(5) field as Python's spwd reads it: an empty number is -1. */
const field = (fields: string[], i: number) =>
  fields[i] === undefined || fields[i] === '' ? -1 : Number(fields[i]);

/** What to change on an existing user, given its /etc/shadow line. */
export function shadowChanges(name: string, p: ShadowParams, shadowLine: string): Change[] {
  const fields = shadowLine.split(':');
  const hash = fields[1] ?? '';
  const flags: string[] = [];
  const what: string[] = [];
  if (p.expires !== undefined) {
    const current = field(fields, 7);
    const differs =
      p.expires < 0 ? current >= 0 : current < 0 || expiryDate(current * 86400) !== expiryDate(p.expires);
    if (differs) {
      flags.push('-e', expiryDate(p.expires));
      what.push('expiry');
    }
  }
  // Ansible passes -f whenever it is given, so the task changes at every run (as there)
  if (p.password_expire_account_disable !== undefined) {
    flags.push('-f', String(p.password_expire_account_disable));
    what.push('inactive days');
  }
  let lock: string | undefined;
  if (p.password_lock && !hash.startsWith('!')) lock = '-L';
  else if (p.password_lock === false && hash.startsWith('!')) lock = '-U';
  const newHash =
    (p.update_password ?? 'always') === 'always' &&
    p.password !== undefined &&
    stripLock(hash) !== stripLock(p.password);
  if (newHash) {
    flags.push('-p', p.password_lock ? `!${p.password}` : (p.password as string));
    what.push('password');
  } else if (lock) {
    flags.push(lock);
    what.push(lock === '-L' ? 'password locked' : 'password unlocked');
  }
  const changes: Change[] = [];
  if (flags.length)
    changes.push({
      summary: `${what.join(', ')} of ${name}`,
      action: { kind: 'exec', command: sh`usermod ${flags} ${name}` },
    });
  const ageing = chageFlags(p, fields);
  if (ageing.length)
    changes.push({
      summary: `password ageing of ${name}`,
      action: { kind: 'exec', command: sh`chage ${ageing} ${name}` },
    });
  return changes;
}

/** chage's flags for the ageing fields that differ (all given ones for a user not there yet). */
export function chageFlags(p: ShadowParams, fields?: string[]): string[] {
  const out: string[] = [];
  const pairs: Array<[number | undefined, string, number]> = [
    [p.password_expire_min, '-m', 3],
    [p.password_expire_max, '-M', 4],
    [p.password_expire_warn, '-W', 5],
  ];
  for (const [want, flag, i] of pairs)
    if (want !== undefined && (!fields || field(fields, i) !== want)) out.push(flag, String(want));
  return out;
}

const stripLock = (s: string) => s.replace(/^!+/, '');
