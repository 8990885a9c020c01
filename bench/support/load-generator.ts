// autocannon in a process of its own (BENCHMARKS.md, ninth session): started fresh for each run, so
// that neither its heap nor its compiled code depends on what the bench did before, nor on which
// servers it loaded earlier (a shared generator's response parsing is compiled for whatever it met
// first). It warms up on the same target first (WARM_SECONDS), so that a generator that is itself
// the limit (the minimal servers) is not measured cold; with a server's pid it also reports the
// CPU time that server used during the measured run alone.
// Argument: {"options": autocannon options, "warmSeconds": n, "pid": n}. Prints one JSON line.
import autocannon from 'autocannon';
import { cpuTimesOf } from './start-bench-server.js';

const { options, warmSeconds = 1, pid } = JSON.parse(process.argv[2]!) as { options: autocannon.Options; warmSeconds?: number; pid?: number };
if (warmSeconds > 0) await autocannon({ ...options, duration: warmSeconds });
const before = pid === undefined ? undefined : cpuTimesOf(pid);
const result = await autocannon(options);
const after = pid === undefined ? undefined : cpuTimesOf(pid);
const cpu = before && after ? { user: after.user - before.user, system: after.system - before.system } : undefined;
process.stdout.write(`${JSON.stringify({ result, cpu })}\n`);
