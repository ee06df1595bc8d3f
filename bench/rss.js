#!/usr/bin/env node
// Runs an emtrace command in this process and prints its peak resident memory (KiB) on stderr:
// node bench/rss.js dump big.jsonl   ->   ... then "maxrss-kib N" as the last stderr line.
import { main } from '../dist/cli/main.js';

const status = await main(process.argv.slice(2));
process.stderr.write(`maxrss-kib ${process.resourceUsage().maxRSS}\n`);
process.exit(status);
