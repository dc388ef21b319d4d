import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs the package manager with inherited stdio. SIGINT and SIGTERM sent to bulwark are passed
 * on (a terminal's Ctrl-C already reaches the whole process group; a `kill` reaches only us),
 * and bulwark keeps running until the child has exited, so the summary still prints.
 */
export const runClient = (
  executable: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<ChildResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(executable, args, { cwd: options.cwd, env: options.env, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    const done = () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve({ code, signal });
    });
  });

/**
 * The child's environment: ours with the overrides applied. A variable we set replaces any
 * spelling of it in another case (`NPM_CONFIG_REGISTRY` vs `npm_config_registry`), since
 * clients disagree about which one wins.
 */
export const childEnv = (base: NodeJS.ProcessEnv, overrides: Record<string, string>): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...base };
  const lowered = new Set(Object.keys(overrides).map((k) => k.toLowerCase()));
  for (const key of Object.keys(env)) if (lowered.has(key.toLowerCase())) delete env[key];
  return Object.assign(env, overrides);
};
