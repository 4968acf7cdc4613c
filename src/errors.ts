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
