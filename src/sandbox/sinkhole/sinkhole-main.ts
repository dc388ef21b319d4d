/**
 * The sinkhole process: `node sinkhole-main.js [--dns-port N] [--tcp-port N] [--udp-port N]`,
 * run inside the sandbox's network namespace. Prints one SinkholeEvent JSON object per line on
 * stdout (`ready` first) and stops on SIGTERM/SIGINT or when its stdin pipe closes.
 */
import { fstatSync } from 'node:fs';
import type { SinkholeEvent } from '../types.js';
import { type Sinkhole, startSinkhole } from './start-sinkhole.js';

const FORCED_EXIT_MS = 2000;

const parsePorts = (args: string[]): { dnsPort: number; tcpPort: number; udpPort: number } => {
  const ports = { dnsPort: 0, tcpPort: 0, udpPort: 0 };
  const flags: Record<string, keyof typeof ports> = {
    '--dns-port': 'dnsPort',
    '--tcp-port': 'tcpPort',
    '--udp-port': 'udpPort',
  };
  for (let i = 0; i < args.length; i += 2) {
    const key = flags[args[i]!];
    const value = Number(args[i + 1]);
    if (!key || !Number.isInteger(value) || value < 0 || value > 65535)
      throw new Error(
        `sinkhole: bad argument ${JSON.stringify(args[i])} ${JSON.stringify(args[i + 1] ?? '')}`,
      );
    ports[key] = value;
  }
  return ports;
};

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
  const ports = parsePorts(process.argv.slice(2));
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
  sinkhole = await startSinkhole({ ...ports, onEvent: write });
  if (stopping) await sinkhole.close();
};

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
