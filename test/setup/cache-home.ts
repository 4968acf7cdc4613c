// What quorum keeps on the controller between runs (learned probes, kept answers) goes to a
// folder of each test file's own: two test files' hosts share names (h1) but not their runs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.XDG_CACHE_HOME = mkdtempSync(join(tmpdir(), 'quorum-test-cache-'));
