/**
 * Validators of quorum's own schemas (playbook, built-in modules) compiled ahead of time,
 * keyed by the schema's JSON text. Empty here: running from source, they are compiled on first
 * use. bin/build.mjs bundles generated code in this file's place, so that the CLI does not
 * spend ~50 ms of every start compiling the same schemas.
 */
import type { ValidateFunction } from 'ajv';

export const precompiled = new Map<string, ValidateFunction>();
