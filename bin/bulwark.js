#!/usr/bin/env node
import('../dist/bundle/bulwark.mjs')
  .then((m) => m.main(process.argv))
  .catch((error) => {
    process.stderr.write(
      `bulwark: internal error: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exitCode = 3;
  });
