import type { SinkholeEvent } from '../types.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isPort = (value: unknown): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isString = (value: unknown): value is string => typeof value === 'string';
const PROTOCOLS = new Set(['tls', 'http', 'raw', 'none']);

const httpInfo = (value: unknown): Extract<SinkholeEvent, { type: 'tcp' }>['http'] | 'bad' => {
  if (!isObject(value) || !isString(value.method) || !isString(value.target) || !isObject(value.headers))
    return 'bad';
  if (value.host !== undefined && !isString(value.host)) return 'bad';
  // Null prototype: a header called `__proto__` stays a header.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, header] of Object.entries(value.headers)) {
    if (!isString(header)) return 'bad';
    headers[name] = header;
  }
  return {
    method: value.method,
    target: value.target,
    ...(value.host === undefined ? {} : { host: value.host }),
    headers: { ...headers },
  };
};

/**
 * One line of the sinkhole's stdout as an event, or undefined when it is not one (blank, not
 * JSON, wrong shape). Only the known fields are kept.
 */
export const parseSinkholeLine = (line: string): SinkholeEvent | undefined => {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return isPort(value.dnsPort) && isPort(value.tcpPort) && isPort(value.udpPort)
        ? { type: 'ready', dnsPort: value.dnsPort, tcpPort: value.tcpPort, udpPort: value.udpPort }
        : undefined;
    case 'dns':
      if (
        !isTime(value.at) ||
        (value.transport !== 'udp' && value.transport !== 'tcp') ||
        !isPort(value.clientPort) ||
        !isString(value.name) ||
        !isString(value.qtype) ||
        (value.answer !== undefined && !isString(value.answer))
      )
        return undefined;
      return {
        type: 'dns',
        at: value.at,
        transport: value.transport,
        clientPort: value.clientPort,
        name: value.name,
        qtype: value.qtype,
        ...(value.answer === undefined ? {} : { answer: value.answer }),
      };
    case 'tcp': {
      if (
        !isTime(value.at) ||
        !isPort(value.clientPort) ||
        !PROTOCOLS.has(value.protocol as string) ||
        !isCount(value.bytes) ||
        !isString(value.data) ||
        (value.sni !== undefined && !isString(value.sni)) ||
        (value.intercepted !== undefined && value.intercepted !== true)
      )
        return undefined;
      const http = value.http === undefined ? undefined : httpInfo(value.http);
      if (http === 'bad') return undefined;
      return {
        type: 'tcp',
        at: value.at,
        clientPort: value.clientPort,
        protocol: value.protocol as 'tls' | 'http' | 'raw' | 'none',
        ...(value.sni === undefined ? {} : { sni: value.sni }),
        ...(http === undefined ? {} : { http }),
        bytes: value.bytes,
        data: value.data,
        ...(value.intercepted === true ? { intercepted: true as const } : {}),
      };
    }
    case 'udp':
      return isTime(value.at) && isPort(value.clientPort) && isCount(value.bytes) && isString(value.data)
        ? { type: 'udp', at: value.at, clientPort: value.clientPort, bytes: value.bytes, data: value.data }
        : undefined;
    default:
      return undefined;
  }
};
