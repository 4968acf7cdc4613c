/**
 * What a template computes from a secret is a secret too: `{{ pw | upper }}`, `{{ pw |
 * b64encode }}` or `{{ 'x-' ~ pw }}` would otherwise print text that no redaction knows. Each run
 * attaches its secrets while it runs; the engine asks whether a value a template reads is one,
 * and hands back the text it printed from one. Matching is exact (a secret string, or a list
 * holding one): a container that merely holds a secret somewhere (hostvars) does not taint
 * everything read from it.
 */
export interface SecretHolder {
  has(value: string): boolean;
  add(value: string): void;
}

const holders = new Set<SecretHolder>();

/** While attached (until the returned function is called), the holder's secrets taint templates. */
export function attachSecrets(holder: SecretHolder): () => void {
  holders.add(holder);
  return () => holders.delete(holder);
}

export function isSecretValue(value: unknown): boolean {
  if (holders.size === 0) return false;
  if (typeof value === 'string') return value !== '' && [...holders].some((h) => h.has(value));
  if (Array.isArray(value)) return value.some((v) => typeof v === 'string' && isSecretValue(v));
  return false;
}

/** Text a template printed from a secret: a secret of every attached run from now on. */
export function deriveSecret(text: string): void {
  if (text === '') return;
  for (const h of holders) h.add(text);
}
