import { describe, expect, it } from 'vitest';
import type { DepNode } from '../../core/graph.js';
import { overriddenRange, readOverrides } from './overrides.js';

const parent = (name: string, version: string): DepNode => ({
  id: `${name}@${version}`,
  name,
  version,
  source: 'registry',
  dev: false,
  optional: false,
  peer: false,
  bundled: false,
});

describe('Berry resolutions', () => {
  const { overrides, invalid } = readOverrides(
    new Map([
      ['lru-cache@^10.0.1', 'patch:lru-cache@npm:10.4.3#./p.patch'],
      ['ansi-escapes/type-fest', '^2.0.0'],
      ['old@1.0.0/dep', '3.0.0'],
      ['jest', 'workspace:*'],
      ['**/glob', '1.0.0'],
    ]),
  );

  it('parses patterns and keeps the ones yarn rejects apart', () => {
    expect(overrides).toHaveLength(4);
    expect(invalid).toEqual(['**/glob']);
  });

  it('matches by name, range and parent', () => {
    const any = parent('x', '1.0.0');
    expect(overriddenRange(overrides, any, 'lru-cache', 'npm:^10.0.1')).toBe(
      'patch:lru-cache@npm:10.4.3#./p.patch',
    );
    expect(overriddenRange(overrides, any, 'lru-cache', '^10.0.1')).toBe(
      'patch:lru-cache@npm:10.4.3#./p.patch',
    );
    expect(overriddenRange(overrides, any, 'lru-cache', 'npm:^11.0.0')).toBeUndefined();
    expect(overriddenRange(overrides, parent('ansi-escapes', '4.3.2'), 'type-fest', 'npm:^0.21.3')).toBe(
      '^2.0.0',
    );
    expect(overriddenRange(overrides, any, 'type-fest', 'npm:^0.21.3')).toBeUndefined();
    expect(overriddenRange(overrides, parent('old', '1.0.0'), 'dep', 'npm:^1')).toBe('3.0.0');
    expect(overriddenRange(overrides, parent('old', '2.0.0'), 'dep', 'npm:^1')).toBeUndefined();
    expect(overriddenRange(overrides, any, 'jest', 'npm:^29.0.0')).toBe('workspace:*');
  });
});
