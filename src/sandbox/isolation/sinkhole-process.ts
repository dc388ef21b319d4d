import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseSinkholeLine } from '../sinkhole/read-events.js';
import type { SinkholeEvent } from '../types.js';
import type { SinkholePorts } from './netns.js';

export type SinkholeProcess = {
  ports: SinkholePorts;
  events: SinkholeEvent[];
  /** Stops the sinkhole and waits for its last events. */
  stop: () => Promise<void>;
};

const READY_TIMEOUT_MS = 10_000;
const MAX_EVENTS = 20_000;

/** Starts our sinkhole inside the namespace and collects what it records. */
export const startSinkholeProcess = async (
  ip: string,
  netns: string,
  node: string,
  entry: string,
  /** PEM files of the run's certificate authority: TLS is then intercepted. */
  ca?: { certFile: string; keyFile: string },
): Promise<SinkholeProcess> => {
  const child = spawn(
    ip,
    ['netns', 'exec', netns, node, entry, ...(ca ? ['--ca-cert', ca.certFile, '--ca-key', ca.keyFile] : [])],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' },
    },
  );
  const events: SinkholeEvent[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 8192) stderr += chunk.toString('utf8');
  });
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const ports = await new Promise<SinkholePorts>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the sandbox sinkhole did not start: ${stderr.trim() || 'no answer'}`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const event = parseSinkholeLine(line);
      if (!event) return;
      if (event.type === 'ready') {
        clearTimeout(timer);
        resolve({ dns: event.dnsPort, tcp: event.tcpPort, udp: event.udpPort });
      } else if (events.length < MAX_EVENTS) events.push(event);
    });
    child.on('close', () => {
      clearTimeout(timer);
      reject(new Error(`the sandbox sinkhole exited: ${stderr.trim() || 'no output'}`));
    });
  });
  return {
    ports,
    events,
    stop: async () => {
      child.stdin.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await closed;
      clearTimeout(timer);
    },
  };
};
