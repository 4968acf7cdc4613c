/** What a secret is shown as, everywhere. */
export const REDACTED = '********';

export function maskSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}

/** Where a piece of user input came from. Lines and columns are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  col?: number;
}

export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  let s = loc.file;
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.col !== undefined) s += `:${loc.col}`;
  return s;
}

/**
 * An error in what the user gave us (files, flags, patterns). Always reported before any
 * host is touched; the CLI prints `file:line:col: message` and exits 1, never a stack trace.
 */
export class InputError extends Error {
  readonly code: string;
  readonly location?: SourceLocation;
  readonly hint?: string;

  constructor(code: string, message: string, location?: SourceLocation, hint?: string) {
    super(message);
    this.name = 'InputError';
    this.code = code;
    this.location = location;
    this.hint = hint;
  }

  /** The same error, placed at `where` unless it already knows its place. */
  locatedAt(where: SourceLocation | undefined): InputError {
    return this.location || !where ? this : new InputError(this.code, this.message, where, this.hint);
  }

  /** The same error with every secret in its text masked (an error may quote a private prompt's value). */
  redacted(secrets: Iterable<string>): InputError {
    return new InputError(
      this.code,
      maskSecrets(this.message, secrets),
      this.location,
      this.hint === undefined ? undefined : maskSecrets(this.hint, secrets),
    );
  }

  /** The one-line form users see: location first, then what was wrong, then what to do. */
  describe(): string {
    const where = formatLocation(this.location);
    const head = where ? `${where}: ${this.message}` : this.message;
    return this.hint ? `${head}\n  hint: ${this.hint}` : head;
  }
}

/** Runs `fn`; an InputError from it that has no location gets `where`. */
export function withLocation<T>(fn: () => T, where: SourceLocation | undefined): T {
  try {
    return fn();
  } catch (e) {
    throw e instanceof InputError ? e.locatedAt(where) : e;
  }
}

/** Several input errors, reported together: each on its own `error:` line, in file order. */
export class InputErrors extends InputError {
  constructor(readonly errors: InputError[]) {
    super(errors[0].code, errors[0].message, errors[0].location, errors[0].hint);
  }

  redacted(secrets: Iterable<string>): InputError {
    return new InputErrors(this.errors.map((e) => e.redacted(secrets)));
  }

  describe(): string {
    return this.errors.map((e) => e.describe()).join('\nerror: ');
  }
}

/**
 * Collects the input errors of a validation, so a file's mistakes are all shown at once (the
 * same mistake at the same place once, whichever hosts met it), up to a cap.
 */
export class InputErrorList {
  static readonly CAP = 20;
  private readonly errors = new Map<string, InputError>();
  private more = 0;

  /** fn's result, or undefined when it threw an InputError (kept); other errors go on. */
  collect<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const key = e.location ? formatLocation(e.location) : e.message;
      if (this.errors.has(key)) return undefined;
      if (this.errors.size < InputErrorList.CAP) this.errors.set(key, e);
      else this.more++;
      return undefined;
    }
  }

  throwIfAny(): void {
    const all = [...this.errors.values()];
    if (all.length === 0) return;
    if (all.length === 1 && this.more === 0) throw all[0];
    if (this.more)
      all.push(new InputError('MORE', `and ${this.more} more error(s) after these ${InputErrorList.CAP}`));
    throw new InputErrors(all);
  }
}
