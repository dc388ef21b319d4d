import { readFileSync } from 'node:fs';
import type { PemPair } from './certificate-authority.js';

export type SinkholeArgs = {
  dnsPort: number;
  tcpPort: number;
  udpPort: number;
  /** PEM files of the run's CA, given together or not at all. */
  caCert?: string;
  caKey?: string;
};

const PORT_FLAGS = { '--dns-port': 'dnsPort', '--tcp-port': 'tcpPort', '--udp-port': 'udpPort' } as const;
const FILE_FLAGS = { '--ca-cert': 'caCert', '--ca-key': 'caKey' } as const;

const bad = (flag: string | undefined, value: string | undefined): Error =>
  new Error(`sinkhole: bad argument ${JSON.stringify(flag)} ${JSON.stringify(value ?? '')}`);

/** `[--dns-port N] [--tcp-port N] [--udp-port N] [--ca-cert FILE --ca-key FILE]`. Throws on anything else. */
export const parseSinkholeArgs = (args: string[]): SinkholeArgs => {
  const parsed: SinkholeArgs = { dnsPort: 0, tcpPort: 0, udpPort: 0 };
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    const value = args[i + 1];
    if (Object.hasOwn(PORT_FLAGS, flag)) {
      const port = Number(value);
      if (value === undefined || value === '' || !Number.isInteger(port) || port < 0 || port > 65535)
        throw bad(flag, value);
      parsed[PORT_FLAGS[flag as keyof typeof PORT_FLAGS]] = port;
    } else if (Object.hasOwn(FILE_FLAGS, flag)) {
      if (value === undefined || value === '') throw bad(flag, value);
      parsed[FILE_FLAGS[flag as keyof typeof FILE_FLAGS]] = value;
    } else throw bad(flag, value);
  }
  if ((parsed.caCert === undefined) !== (parsed.caKey === undefined))
    throw new Error('sinkhole: --ca-cert and --ca-key go together');
  return parsed;
};

const readPem = (flag: string, path: string, label: RegExp): string => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`sinkhole: cannot read ${flag} ${path}: ${reason}`);
  }
  if (!label.test(text)) throw new Error(`sinkhole: ${flag} ${path} is not a PEM file of the expected kind`);
  return text;
};

/** The CA named by the arguments, or undefined when none was given. Throws a one-line message. */
export const readCa = (args: SinkholeArgs): PemPair | undefined =>
  args.caCert === undefined || args.caKey === undefined
    ? undefined
    : {
        certPem: readPem('--ca-cert', args.caCert, /-----BEGIN CERTIFICATE-----/),
        keyPem: readPem('--ca-key', args.caKey, /-----BEGIN (RSA |EC )?PRIVATE KEY-----/),
      };
