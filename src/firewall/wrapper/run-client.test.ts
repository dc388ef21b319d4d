import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable } from './find-executable.js';
import { childEnv, runClient } from './run-client.js';

describe('childEnv', () => {
  it('replaces every spelling of a variable it sets and keeps the rest', () => {
    const env = childEnv(
      { PATH: '/bin', NPM_CONFIG_REGISTRY: 'https://other/', Npm_Config_Registry: 'x', HOME: '/h' },
      { npm_config_registry: 'http://127.0.0.1:1/' },
    );
    expect(env).toEqual({ PATH: '/bin', HOME: '/h', npm_config_registry: 'http://127.0.0.1:1/' });
  });
});

describe('findExecutable', () => {
  it('finds an executable file on PATH and skips non-executables', () => {
    const a = mkdtempSync(join(tmpdir(), 'bulwark-path-'));
    const b = mkdtempSync(join(tmpdir(), 'bulwark-path-'));
    writeFileSync(join(a, 'tool'), '#!/bin/sh\n');
    writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
    chmodSync(join(b, 'tool'), 0o755);
    expect(findExecutable('tool', { PATH: [a, b].join(':') })).toBe(join(b, 'tool'));
    expect(findExecutable('no-such-tool', { PATH: [a, b].join(':') })).toBeUndefined();
    expect(findExecutable('tool', {})).toBeUndefined();
  });
});

describe('runClient', () => {
  it("returns the child's exit code and passes the environment", async () => {
    const script = 'process.exit(process.env.WANT === "yes" ? 7 : 1)';
    const result = await runClient(process.execPath, ['-e', script], {
      cwd: tmpdir(),
      env: { ...process.env, WANT: 'yes' },
    });
    expect(result).toEqual({ code: 7, signal: null });
  });

  it('forwards SIGTERM to the child and waits for it', async () => {
    // The child reports the signal by its exit code, proving it received it rather than being killed.
    const ready = join(mkdtempSync(join(tmpdir(), 'bulwark-ready-')), 'ready');
    const script = `process.on("SIGTERM", () => process.exit(42)); require("fs").writeFileSync(${JSON.stringify(ready)}, ""); setTimeout(() => {}, 20000)`;
    const listeners = process.listeners('SIGTERM');
    // vitest itself may listen for SIGTERM; keep its handlers out of the way for this test.
    for (const l of listeners) process.off('SIGTERM', l);
    try {
      const running = runClient(process.execPath, ['-e', script], { cwd: tmpdir(), env: process.env });
      for (let i = 0; i < 200 && !existsSync(ready); i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      process.emit('SIGTERM', 'SIGTERM');
      expect(await running).toEqual({ code: 42, signal: null });
      expect(process.listenerCount('SIGTERM')).toBe(0);
    } finally {
      for (const l of listeners) process.on('SIGTERM', l);
    }
  });
});
