/**
 * Progress on stderr for work that takes longer than a second. Silent when stderr is not a
 * terminal (CI logs, pipes), so machine-readable output on stdout stays clean either way.
 */
export type Progress = {
  phase: (label: string) => void;
  /** Replaces the label without drawing now: for frequent updates (the next tick draws it). */
  update: (label: string) => void;
  done: () => void;
};

/** No output at all (`--no-progress`). */
export const silentProgress: Progress = { phase: () => {}, update: () => {}, done: () => {} };

/**
 * `analysing packages 120/1000 (35 cached) · ETA 12s`. The rate counts only packages done since
 * the first update, so a burst of cache hits does not make the estimate optimistic.
 */
export const countLabel = (
  what: string,
  counts: { done: number; total: number; cached: number },
  since: { at: number; done: number },
  now: number,
): string => {
  const cached = counts.cached > 0 ? ` (${counts.cached} cached)` : '';
  const base = `${what} ${counts.done}/${counts.total}${cached}`;
  const progressed = counts.done - since.done;
  const elapsed = now - since.at;
  if (progressed <= 0 || elapsed < 500 || counts.done >= counts.total) return base;
  const seconds = Math.ceil(((counts.total - counts.done) * elapsed) / progressed / 1000);
  return `${base} · ETA ${seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`}`;
};

export const createProgress = (stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): Progress => {
  if (!stream.isTTY) return silentProgress;
  const started = Date.now();
  let label = '';
  let drawn = false;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let frame = 0;
  const draw = () => {
    if (Date.now() - started < delayMs) return;
    drawn = true;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    stream.write(`\r\u001b[2K${frames[frame++ % frames.length]} ${label} (${seconds}s)`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  return {
    phase: (next) => {
      label = next;
      draw();
    },
    update: (next) => {
      label = next;
    },
    done: () => {
      clearInterval(timer);
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
};
