/** At most `size` holders at once; the rest wait in order. */
export type Semaphore = { acquire: () => Promise<() => void>; readonly active: number };

export const createSemaphore = (size: number): Semaphore => {
  let inUse = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inUse--;
  };
  return {
    acquire: () =>
      new Promise((resolve) => {
        const grant = () => {
          let done = false;
          resolve(() => {
            if (done) return;
            done = true;
            release();
          });
        };
        if (inUse < size) {
          inUse++;
          grant();
        } else waiting.push(grant);
      }),
    get active() {
      return inUse + waiting.length;
    },
  };
};
