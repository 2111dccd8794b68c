/**
 * Progress of a long copy or comparison: a bar with rows, rate and ETA (cli-progress) when stderr
 * is a terminal, a plain line every few seconds otherwise (logs, CI, `--json`).
 */
import cliProgress from 'cli-progress';

export interface ProgressDisplay {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

export function progressDisplay(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${title} [{bar}] {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted} | {label}`, stream, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    const started = Date.now();
    let running = false;
    return {
      update(done, total, label) {
        const rate = Math.round(done / Math.max(0.001, (Date.now() - started) / 1000));
        if (!running) bar.start(Math.max(total, done), done, { rate, label });
        running = true;
        bar.setTotal(Math.max(total, done));
        bar.update(done, { rate, label });
      },
      stop: () => running && bar.stop(),
    };
  }
  const started = Date.now();
  // The first line waits as long as the next ones: a rate measured over the first few rows says
  // nothing, and a copy that ends sooner needs no progress line at all.
  let last = started;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 2000) return;
      last = now;
      const rate = Math.round(done / Math.max(0.001, (now - started) / 1000));
      const of = total > 0 ? `/${total} (${Math.floor((done / total) * 100)}%)` : '';
      stream.write(`${title}: ${done}${of} rows, ${rate} rows/s, ${label}\n`);
    },
    stop() {},
  };
}
