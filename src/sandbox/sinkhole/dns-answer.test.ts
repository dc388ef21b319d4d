import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { answerDnsQuery, createAddressPool } from './dns-answer.js';

describe('createAddressPool', () => {
  it('numbers names through 198.18.0.0/15, one address per name, case and trailing dot ignored', () => {
    const pool = createAddressPool();
    expect(pool.addressFor('a.example.invalid')).toBe('198.18.0.1');
    expect(pool.addressFor('A.Example.Invalid.')).toBe('198.18.0.1');
    const seen = new Set<string>(['198.18.0.1']);
    let last = '';
    for (let i = 2; i <= 65537; i++) {
      last = pool.addressFor(`n${i}.example.invalid`);
      seen.add(last);
      if (i === 255) expect(last).toBe('198.18.0.255');
      if (i === 256) expect(last).toBe('198.18.1.0');
      if (i === 65536) expect(last).toBe('198.19.0.0');
    }
    expect(last).toBe('198.19.0.1');
    expect(seen.size).toBe(65537);
  });
});

describe('answerDnsQuery', () => {
  const ask = (packet: dnsPacket.Packet) => answerDnsQuery(dnsPacket.encode(packet), createAddressPool());

  it('answers A, leaves other types empty, echoes id and questions', () => {
    const result = ask({
      type: 'query',
      id: 4242,
      flags: dnsPacket.RECURSION_DESIRED,
      questions: [
        { type: 'A', name: 'x.example.invalid' },
        { type: 'TXT', name: 'aGVsbG8.x.example.invalid' },
      ],
    });
    expect(result?.questions).toEqual([
      { name: 'x.example.invalid', qtype: 'A', answer: '198.18.0.1' },
      { name: 'aGVsbG8.x.example.invalid', qtype: 'TXT' },
    ]);
    const response = dnsPacket.decode(result!.response);
    expect(response).toMatchObject({
      id: 4242,
      type: 'response',
      flag_rd: true,
      flag_ra: true,
      flag_aa: true,
    });
    expect(response.questions).toHaveLength(2);
    expect(response.answers).toEqual([
      expect.objectContaining({ type: 'A', name: 'x.example.invalid', ttl: 60, data: '198.18.0.1' }),
    ]);
  });

  it('drops responses, other opcodes, empty queries and garbage', () => {
    const q = { type: 'A' as const, name: 'x.example.invalid' };
    expect(ask({ type: 'response', id: 1, questions: [q] })).toBeUndefined();
    expect(ask({ type: 'query', id: 1, questions: [] })).toBeUndefined();
    const update = dnsPacket.encode({ type: 'query', id: 1, questions: [q] });
    update[2] = 5 << 3; // opcode UPDATE
    expect(answerDnsQuery(update, createAddressPool())).toBeUndefined();
    for (const junk of [
      Buffer.alloc(0),
      Buffer.alloc(11),
      Buffer.from('GET / HTTP/1.1\r\n\r\n'),
      Buffer.alloc(512, 0xc0),
    ])
      expect(answerDnsQuery(junk, createAddressPool())).toBeUndefined();
  });
});
