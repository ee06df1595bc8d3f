#!/usr/bin/env node
// The emtrace command: see src/cli/main.ts.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error) => {
    // A bug in emtrace itself, not bad input: say so plainly, with the stack for the report.
    process.stderr.write(`emtrace: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exit(70);
  },
);
