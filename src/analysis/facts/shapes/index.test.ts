import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectorsByType, SHAPE_DETECTORS, type ShapeDetector } from './index.js';

const isDetector = (value: unknown): value is ShapeDetector =>
  typeof value === 'object' &&
  value !== null &&
  Array.isArray((value as ShapeDetector).shapes) &&
  Array.isArray((value as ShapeDetector).types) &&
  typeof (value as ShapeDetector).detect === 'function';

describe('shape detector registry', () => {
  it('gives every shape name to one detector only', () => {
    const names = SHAPE_DETECTORS.flatMap((detector) => detector.shapes);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/);
  });

  it('registers every detector exported from this folder', async () => {
    const dir = new URL('.', import.meta.url).pathname;
    const modules = readdirSync(dir).filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const exported: ShapeDetector[] = [];
    for (const file of modules) {
      const module = (await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, unknown>;
      exported.push(...Object.values(module).filter(isDetector));
    }
    expect(exported.length).toBeGreaterThan(10);
    for (const detector of exported) expect(SHAPE_DETECTORS, detector.shapes.join(',')).toContain(detector);
  });

  it('indexes detectors by every node type they name', () => {
    const byType = detectorsByType();
    for (const detector of SHAPE_DETECTORS)
      for (const type of detector.types) expect(byType.get(type)).toContain(detector);
  });
});
