import dnsPacket from 'dns-packet';

/** What one question of a query asked and what the sinkhole told. */
export type DnsQuestionLog = { name: string; qtype: string; answer?: string };

/** 198.18.0.0/15 (RFC 2544 benchmarking): never routed, so any connect to it is ours to map back. */
const POOL_BASE = (198 << 24) | (18 << 16);
/** 198.18.0.1 … 198.19.255.254 */
const POOL_SIZE = (1 << 17) - 2;
const TTL = 60;

export type AddressPool = { addressFor(name: string): string };

/**
 * One address per distinct name (case-insensitive, trailing dot ignored), stable for the process.
 * When the pool runs out, the name that got its address longest ago gives it up (bounded memory).
 */
export const createAddressPool = (): AddressPool => {
  const byName = new Map<string, string>();
  let next = 0;
  return {
    addressFor(name) {
      const key = name.toLowerCase().replace(/\.$/, '');
      const known = byName.get(key);
      if (known !== undefined) return known;
      if (byName.size >= POOL_SIZE) byName.delete(byName.keys().next().value!);
      const n = (POOL_BASE + 1 + (next++ % POOL_SIZE)) >>> 0;
      const address = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      byName.set(key, address);
      return address;
    },
  };
};

/** dns-packet names types it does not know `UNKNOWN_<n>`; the event carries the number. */
const qtypeName = (type: string): string => (type.startsWith('UNKNOWN_') ? type.slice(8) : type);

const OPCODE_QUERY = 0;

/**
 * Answers one DNS message: every A question gets the name's pool address, everything else NOERROR
 * with no records (so clients fall back to IPv4). Returns undefined for what is not a well-formed
 * standard query (the caller drops it). Never throws.
 */
export const answerDnsQuery = (
  message: Buffer,
  pool: AddressPool,
): { response: Buffer; questions: DnsQuestionLog[] } | undefined => {
  let query: dnsPacket.DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return undefined;
  }
  const questions = query.questions ?? [];
  if (query.type !== 'query' || (((query.flags ?? 0) >> 11) & 0xf) !== OPCODE_QUERY || questions.length === 0)
    return undefined;
  const log: DnsQuestionLog[] = [];
  const answers: dnsPacket.Answer[] = [];
  for (const question of questions) {
    const qtype = qtypeName(String(question.type));
    if (question.type === 'A' && (question.class ?? 'IN') === 'IN') {
      const address = pool.addressFor(question.name);
      answers.push({ type: 'A', class: 'IN', name: question.name, ttl: TTL, data: address });
      log.push({ name: question.name, qtype, answer: address });
    } else {
      log.push({ name: question.name, qtype });
    }
  }
  try {
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id ?? 0,
      flags:
        dnsPacket.AUTHORITATIVE_ANSWER |
        dnsPacket.RECURSION_AVAILABLE |
        ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED),
      questions,
      answers,
    });
    return { response, questions: log };
  } catch {
    // A name dns-packet decoded but cannot write back (odd bytes in a label): still log the ask.
    return { response: Buffer.alloc(0), questions: log };
  }
};
