import { describe, expect, it } from 'vitest';
import { failsAt, parseFailOn } from './fail-on.js';

describe('--fail-on', () => {
  it('accepts the three values and refuses others in one line', () => {
    expect(parseFailOn('suspicious')).toBe('suspicious');
    expect(parseFailOn('never')).toBe('never');
    expect(() => parseFailOn('high')).toThrow('--fail-on: "high" is not one of suspicious, malicious, never');
  });

  it('fails at or above the chosen verdict', () => {
    expect(failsAt('malicious', 'malicious')).toBe(true);
    expect(failsAt('suspicious', 'malicious')).toBe(false);
    expect(failsAt('suspicious', 'suspicious')).toBe(true);
    expect(failsAt('benign', 'suspicious')).toBe(false);
    expect(failsAt('malicious', 'never')).toBe(false);
  });
});
