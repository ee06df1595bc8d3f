#!/usr/bin/env node
// npm run bench: every benchmark section, measured in this one run. See README.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recording } from './recording.js';
import { workloads } from './workloads.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'emtrace-bench-'));
try {
  workloads(scratch);
  recording(scratch);
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
