import { describe, expect, it } from 'vitest';
import type { SinkholeEvent } from '../types.js';
import { parseSinkholeLine } from './read-events.js';

describe('parseSinkholeLine', () => {
  it('reads back every kind of event as written', () => {
    const events: SinkholeEvent[] = [
      { type: 'ready', dnsPort: 5353, tcpPort: 8080, udpPort: 9999 },
      {
        type: 'dns',
        at: 1,
        transport: 'udp',
        clientPort: 40000,
        name: 'x.example.invalid',
        qtype: 'A',
        answer: '198.18.0.1',
      },
      { type: 'dns', at: 2, transport: 'tcp', clientPort: 40001, name: 'y.example.invalid', qtype: '65' },
      {
        type: 'tcp',
        at: 3,
        clientPort: 40002,
        protocol: 'tls',
        sni: 'c2.example.invalid',
        bytes: 517,
        data: 'FgMB',
      },
      {
        type: 'tcp',
        at: 4,
        clientPort: 40003,
        protocol: 'http',
        http: {
          method: 'POST',
          target: '/x',
          host: 'h.example.invalid',
          headers: { host: 'h.example.invalid' },
        },
        bytes: 10,
        data: 'UE9TVA==',
      },
      { type: 'tcp', at: 5, clientPort: 40004, protocol: 'none', bytes: 0, data: '' },
      {
        type: 'tcp',
        at: 7,
        clientPort: 40006,
        protocol: 'tls',
        sni: 'upload.file-drop.invalid',
        http: { method: 'PUT', target: '/f', headers: {} },
        bytes: 4,
        data: 'UFVUIA==',
        intercepted: true,
      },
      { type: 'udp', at: 6, clientPort: 40005, bytes: 3, data: 'YWJj' },
    ];
    for (const event of events) expect(parseSinkholeLine(JSON.stringify(event))).toEqual(event);
    const withProto = parseSinkholeLine(
      '{"type":"tcp","at":1,"clientPort":1,"protocol":"http","bytes":0,"data":"","http":{"method":"GET","target":"/","headers":{"__proto__":"x"}}}',
    );
    expect(withProto?.type === 'tcp' && Object.keys(withProto.http?.headers ?? {})).toEqual(['__proto__']);
  });

  it('drops unknown fields', () => {
    expect(
      parseSinkholeLine('{"type":"udp","at":1,"clientPort":2,"bytes":0,"data":"","extra":true}'),
    ).toEqual({
      type: 'udp',
      at: 1,
      clientPort: 2,
      bytes: 0,
      data: '',
    });
  });

  it('rejects what is not an event', () => {
    for (const line of [
      '',
      'not json',
      'null',
      '[]',
      '{"type":"nope"}',
      '{"type":"ready","dnsPort":1,"tcpPort":2}',
      '{"type":"ready","dnsPort":70000,"tcpPort":2,"udpPort":3}',
      '{"type":"dns","at":1,"transport":"quic","clientPort":1,"name":"x","qtype":"A"}',
      '{"type":"dns","at":1,"transport":"udp","clientPort":1,"name":5,"qtype":"A"}',
      '{"type":"tcp","at":1,"clientPort":1,"protocol":"gopher","bytes":0,"data":""}',
      '{"type":"tcp","at":1,"clientPort":1,"protocol":"http","bytes":-1,"data":""}',
      '{"type":"tcp","at":1,"clientPort":1,"protocol":"tls","bytes":0,"data":"","intercepted":"yes"}',
      '{"type":"tcp","at":1,"clientPort":1,"protocol":"http","bytes":0,"data":"","http":{"method":"GET","target":"/","headers":{"a":1}}}',
      '{"type":"udp","at":"now","clientPort":1,"bytes":0,"data":""}',
    ])
      expect(parseSinkholeLine(line), line).toBeUndefined();
  });
});
