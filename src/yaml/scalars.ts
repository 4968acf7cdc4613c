/**
 * Plain-scalar typing exactly as PyYAML's SafeLoader (YAML 1.1) does it, because Ansible reads
 * inventories and playbooks with PyYAML: `yes`/`on` are booleans, `0755` is octal, `1:20` is
 * base 60, `1.5e3` stays a string (1.1 floats need a signed exponent), `y`/`n` stay strings.
 */

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT =
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

// PyYAML picks candidate resolvers by the first character of the scalar.
const FIRST_BOOL = 'yYnNtTfFoO';
const FIRST_NUMBER = '-+0123456789.';
const FIRST_INT = '-+0123456789';
const FIRST_NULL = '~nN';

export type YamlTagName = 'bool' | 'int' | 'float' | 'null' | 'timestamp' | 'str';

export function resolvePlainTag(s: string): YamlTagName {
  const c = s.charAt(0);
  if (s === '') return 'null';
  if (FIRST_BOOL.includes(c) && BOOL.test(s)) return 'bool';
  if (FIRST_NUMBER.includes(c) && FLOAT.test(s)) return 'float';
  if (FIRST_INT.includes(c) && INT.test(s)) return 'int';
  if (FIRST_NULL.includes(c) && NULL.test(s)) return 'null';
  if (c >= '0' && c <= '9' && TIMESTAMP.test(s)) return 'timestamp';
  return 'str';
}

function sexagesimal(s: string): number {
  let value = 0;
  for (const part of s.split(':')) value = value * 60 + Number(part);
  return value;
}

export function constructInt(raw: string): number {
  let s = raw.replace(/_/g, '');
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * Number.parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * Number.parseInt(s.slice(2), 16);
  if (s.startsWith('0')) return sign * Number.parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s);
  return sign * Number(s);
}

export function constructFloat(raw: string): number {
  let s = raw.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '.inf') return sign * Number.POSITIVE_INFINITY;
  if (s === '.nan') return Number.NaN;
  if (s.includes(':')) return sign * sexagesimal(s);
  return sign * Number(s);
}

export function constructBool(s: string): boolean {
  return ['yes', 'true', 'on'].includes(s.toLowerCase());
}

/**
 * PyYAML builds a date or datetime; Ansible prints it with isoformat(). We keep the
 * isoformat text, which is what every consumer (JSON output, templates) ends up seeing.
 */
export function constructTimestamp(s: string): string {
  const m =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::([0-9]{2}))?))?)?$/.exec(
      s,
    );
  if (!m) return s;
  const pad = (v: string) => v.padStart(2, '0');
  const date = `${m[1]}-${pad(m[2])}-${pad(m[3])}`;
  if (m[4] === undefined) return date;
  let out = `${date}T${pad(m[4])}:${m[5]}:${m[6]}`;
  const fraction = (m[7] ?? '').slice(0, 6);
  if (fraction && Number(fraction) !== 0) out += `.${fraction.padEnd(6, '0')}`;
  if (m[8] === 'Z') out += '+00:00';
  else if (m[8]) out += `${m[9]}${pad(m[10])}:${m[11] ?? '00'}`;
  return out;
}

export function constructTagged(tag: YamlTagName, s: string): unknown {
  switch (tag) {
    case 'bool':
      return constructBool(s);
    case 'int':
      return constructInt(s);
    case 'float':
      return constructFloat(s);
    case 'null':
      return null;
    case 'timestamp':
      return constructTimestamp(s);
    default:
      return s;
  }
}
