/**
 * A string marked `!unsafe` in YAML (play vars, vars files, inventory): never templated, printed
 * and written as it is, wherever it is used, as Ansible does.
 */
export class UnsafeText {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return { __ansible_unsafe: this.text };
  }
  toString(): string {
    return this.text;
  }
}

export const isUnsafe = (v: unknown): v is UnsafeText => v instanceof UnsafeText;

/** A value whose `!unsafe` strings become their text: what a module's params receive. */
export function unsafeAsText(v: unknown): unknown {
  if (isUnsafe(v)) return v.text;
  if (Array.isArray(v)) return v.map(unsafeAsText);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unsafeAsText(x);
    return out;
  }
  return v;
}

/**
 * What a task registers (command output, file content) is data, never a template, as in
 * Ansible: its strings that hold template markers are marked unsafe.
 */
export function unsafeStrings(v: unknown): unknown {
  if (typeof v === 'string') return v.includes('{{') || v.includes('{%') ? new UnsafeText(v) : v;
  if (Array.isArray(v)) return v.map(unsafeStrings);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unsafeStrings(x);
    return out;
  }
  return v;
}
