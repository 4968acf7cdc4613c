/**
 * A transport that records every call (for tests and for the check-mode proof), optionally
 * answering from a script instead of a real host: the recording fake of the unit tests.
 */
import type { ExecOptions, ExecResult, Transport } from './types.ts';

export interface RecordedCall {
  host: string;
  command: string;
  purpose: ExecOptions['purpose'];
  stdin?: string;
}

export type FakeResponder = (command: string, options: ExecOptions) => ExecResult | Promise<ExecResult>;

export class RecordingTransport implements Transport {
  readonly calls: RecordedCall[] = [];
  constructor(
    readonly host: string,
    private readonly inner: Transport | FakeResponder,
  ) {}

  async exec(command: string, options: ExecOptions): Promise<ExecResult> {
    this.calls.push({
      host: this.host,
      command,
      purpose: options.purpose,
      stdin: options.stdin === undefined ? undefined : String(options.stdin),
    });
    if (typeof this.inner === 'function') return this.inner(command, options);
    return this.inner.exec(command, options);
  }

  async close(): Promise<void> {
    if (typeof this.inner !== 'function') await this.inner.close();
  }

  async reset(): Promise<void> {
    this.calls.push({ host: this.host, command: '(reset_connection)', purpose: 'probe' });
    if (typeof this.inner !== 'function') await this.inner.reset?.();
  }

  actions(): RecordedCall[] {
    return this.calls.filter((c) => c.purpose === 'action');
  }
}
