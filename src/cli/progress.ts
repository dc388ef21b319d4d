/**
 * Progress on stderr for work that takes longer than a second. Silent when stderr is not a
 * terminal (CI logs, pipes), so machine-readable output on stdout stays clean either way.
 */
export type Progress = {
  phase: (label: string) => void;
  done: () => void;
};

export const createProgress = (stream: NodeJS.WriteStream = process.stderr, delayMs = 1000): Progress => {
  if (!stream.isTTY) return { phase: () => {}, done: () => {} };
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
    done: () => {
      clearInterval(timer);
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
};
