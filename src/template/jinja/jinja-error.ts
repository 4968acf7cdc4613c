/** The template engine's errors: one in a template while it is evaluated, and an undefined variable. */
/** An error in a template or expression while it is evaluated; `line` is within the source. */
export class JinjaError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'JinjaError';
  }
}
/** A variable the source uses is not defined. */
export class JinjaUndefined extends JinjaError {
  constructor(readonly path: string) {
    super(`"${path}" is undefined`);
    this.name = 'JinjaUndefined';
  }
}
