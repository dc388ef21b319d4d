import { UsageError } from './usage-error.js';

/** `--fail-on` of the commands that give a verdict: the verdict at or above which they exit 1. */
export type FailOn = 'suspicious' | 'malicious' | 'never';

const VALUES: readonly string[] = ['suspicious', 'malicious', 'never'];

export const parseFailOn = (value: string): FailOn => {
  if (!VALUES.includes(value))
    throw new UsageError(`--fail-on: "${value}" is not one of suspicious, malicious, never`);
  return value as FailOn;
};

/** Whether a verdict (`malicious`, `suspicious`, or anything milder) reaches `--fail-on`. */
export const failsAt = (verdict: string, failOn: FailOn): boolean =>
  failOn !== 'never' && (verdict === 'malicious' || (failOn === 'suspicious' && verdict === 'suspicious'));
