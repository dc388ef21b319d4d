import { renameSync, writeFileSync } from 'node:fs';
import { InputError } from '../core/errors.js';

/** Colour only on a terminal, never with NO_COLOR; `--color`/`--no-color` decide when given. */
export const useColor = (stream: NodeJS.WriteStream, flag: boolean | undefined): boolean => {
  if (flag === false) return false;
  if (flag === true) return true;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
};

/** Writes a report to stdout, or atomically to a file (temp file + rename: never half-written). */
export const writeOutput = (text: string, file?: string): void => {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  if (!file) {
    process.stdout.write(body);
    return;
  }
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, body);
    renameSync(temp, file);
  } catch (error) {
    throw new InputError(
      file,
      `cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    );
  }
};
