// Loaded with `node --import` into a benchmarked child: on exit, writes its peak RSS (bytes) to the
// file named by CAIRN_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const out = process.env.CAIRN_BENCH_RSS_FILE;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
