import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Finds this package's package.json above the running file (works from dist/ and from the bundle). */
const readOwnPackage = (): { version: string } => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'bulwark') return pkg;
    }
    dir = dirname(dir);
  }
  return { version: '0.0.0' };
};

export const TOOL_NAME = 'bulwark';
export const TOOL_VERSION: string = readOwnPackage().version;
