// Side-by-side timing: each contender runs the same operation in alternating rounds within one
// process, so machine noise hits all of them alike; the median time per operation is compared.
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * CPU time of this process's main thread so far, in µs (Linux: /proc; null elsewhere). Unlike the
 * wall time, it counts only the caller's own work: other threads and other processes on a loaded
 * machine do not add to it.
 */
export function mainThreadCpuMicros() {
  try {
    const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return null;
  }
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * contenders: { name: () => void | Promise<void> } run `ops` times per round; returns µs/op medians.
 * `between` (optional, not timed) runs after each contender's round, e.g. to let a mirror drain.
 */
export async function compare(contenders, { rounds = 15, ops = 2000, warmup = 2, between } = {}) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = -warmup; round < rounds; round++) {
    const order = round % 2 ? [...names].reverse() : names;
    for (const name of order) {
      const fn = contenders[name];
      const start = performance.now();
      for (let i = 0; i < ops; i++) {
        const result = fn(i);
        if (result && typeof result.then === 'function') await result;
      }
      const micros = ((performance.now() - start) * 1000) / ops;
      if (round >= 0) samples[name].push(micros);
      if (between) await between(name);
    }
  }
  return Object.fromEntries(names.map((n) => [n, median(samples[n])]));
}

export function printTable(title, rows, baseline) {
  console.log(`\n${title}`);
  const header = ['operation', ...Object.keys(rows[0].results).map((n) => `${n} µs/op`), ...Object.keys(rows[0].results).filter((n) => n !== baseline).map((n) => `${n} / ${baseline}`)];
  console.log(header.join(' | '));
  for (const row of rows) {
    const cells = [row.name];
    for (const value of Object.values(row.results)) cells.push(value.toFixed(2));
    for (const [n, value] of Object.entries(row.results)) if (n !== baseline) cells.push(`${(value / row.results[baseline]).toFixed(3)}×`);
    console.log(cells.join(' | '));
  }
}
