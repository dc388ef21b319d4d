/**
 * The sinkhole process: `node sinkhole-main.js [--dns-port N] [--tcp-port N] [--udp-port N]
 * [--ca-cert FILE --ca-key FILE]`, run inside the sandbox's network namespace. With the run's CA
 * (PEM files) it terminates TLS and records the decrypted bytes. Prints one SinkholeEvent JSON
 * object per line on stdout (`ready` first) and stops on SIGTERM/SIGINT or when its stdin pipe
 * closes.
 */
import { fstatSync } from 'node:fs';
import type { SinkholeEvent } from '../types.js';
import { parseSinkholeArgs, readCa } from './sinkhole-args.js';
import { type Sinkhole, startSinkhole } from './start-sinkhole.js';

const FORCED_EXIT_MS = 2000;

/**
 * Stdin closing means the parent died; only a pipe (Node's spawn gives a socket pair) says so:
 * /dev/null "closes" at once.
 */
const stdinIsPipe = (): boolean => {
  try {
    const stat = fstatSync(0);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
};

const main = async (): Promise<void> => {
  const args = parseSinkholeArgs(process.argv.slice(2));
  // Read before anything listens: a bad path is a clear error, not a sinkhole without TLS.
  const ca = readCa(args);
  let sinkhole: Sinkhole | undefined;
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), FORCED_EXIT_MS).unref();
    // Open connections report their events while closing; then stdout is drained and we go.
    void (sinkhole?.close() ?? Promise.resolve()).finally(() =>
      process.stdout.write('', () => process.exit(0)),
    );
  };
  // A bug tripped by some odd packet must not take the whole fake network down mid-run.
  process.on('uncaughtException', (error) => {
    process.stderr.write(`sinkhole: ${error.stack ?? error.message}\n`);
  });
  // Before `ready` is printed: the parent may ask us to stop as soon as it reads it.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.on('error', stop);
  if (stdinIsPipe()) {
    process.stdin.on('end', stop);
    process.stdin.on('close', stop);
    process.stdin.resume();
  }
  const write = (event: SinkholeEvent) => process.stdout.write(`${JSON.stringify(event)}\n`);
  const { dnsPort, tcpPort, udpPort } = args;
  sinkhole = await startSinkhole({ dnsPort, tcpPort, udpPort, ...(ca ? { ca } : {}), onEvent: write });
  if (stopping) await sinkhole.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
