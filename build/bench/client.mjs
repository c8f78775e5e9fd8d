// One run of the published Node client for Avanti (npm @cityssm/avanti-api) for ./build.ps1 -Task Bench.
// BENCH_JOB: objects (getReport, count the rows), csv (getReport, then write BENCH_CSV with csv.mjs),
// object (getEmployees: one large top-level object). Prints one JSON line: rows, in (seconds from just before the
// first call, which also fetches the token, to the end), peak (VmHWM bytes).
import { readFileSync } from 'node:fs';
import { setConfiguration, getReport, getEmployees } from '@cityssm/avanti-api';
import { writeCsv } from './csv.mjs';

const env = process.env;
setConfiguration({
  base_api_url: env.BENCH_API,
  client_id: env.BENCH_CLIENT,
  client_secret: env.BENCH_SECRET,
  username: env.BENCH_USER,
  password: env.BENCH_PASSWORD,
  company: env.BENCH_COMPANY,
});

function fail(result) {
  console.error('The Node client failed: ' + JSON.stringify(result.error ?? result));
  process.exit(1);
}

const start = performance.now();
const out = {};
if (env.BENCH_JOB === 'object') {
  const result = await getEmployees({ take: 0 });
  if (!result.success) fail(result);
  out.rows = result.response.employees.length;
  out.expected = result.response.total;
} else {
  const result = await getReport(env.BENCH_REPORT);
  if (!result.success) fail(result);
  out.rows = result.response.length;
  if (env.BENCH_JOB === 'csv') writeCsv(result.response, env.BENCH_CSV);
}
out.in = (performance.now() - start) / 1000;
out.peak = Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) * 1024;
console.log(JSON.stringify(out));
