#!/usr/bin/env node
// The engine and all roles are TypeScript loaded at run time (no build step), so that
// site roles written by users run the same way as the built-in ones.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
