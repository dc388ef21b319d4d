/**
 * Reads the server name (SNI) out of the first bytes of a TLS connection: one or more handshake
 * records carrying a ClientHello (RFC 8446 §4.1.2, RFC 6066 §3). The bytes come from untrusted
 * code, so every length is checked against what is actually there.
 */

export type ClientHelloResult =
  /** A whole ClientHello was read; `sni` is absent when it carried no (valid) host name. */
  | { status: 'complete'; sni?: string }
  /** Looks like a ClientHello so far; more bytes are needed. */
  | { status: 'incomplete' }
  /** Not a ClientHello. */
  | { status: 'invalid' };

const RECORD_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const EXTENSION_SERVER_NAME = 0x0000;
const NAME_TYPE_HOST_NAME = 0x00;
/** Larger than any real ClientHello (even with post-quantum key shares); bounds the reassembly. */
const MAX_HANDSHAKE_BYTES = 1 << 16;
const MAX_RECORD_BYTES = (1 << 14) + 2048;

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;

/** The first handshake message, reassembled from the payloads of the leading handshake records. */
const handshakeBytes = (buf: Uint8Array): Uint8Array | 'invalid' | 'incomplete' => {
  const parts: Uint8Array[] = [];
  let total = 0;
  let at = 0;
  let need = Number.POSITIVE_INFINITY;
  while (total < need) {
    if (at + 5 > buf.length) return 'incomplete';
    if (buf[at] !== RECORD_HANDSHAKE || buf[at + 1] !== 0x03) return 'invalid';
    const length = u16(buf, at + 3);
    if (length === 0 || length > MAX_RECORD_BYTES) return 'invalid';
    const end = at + 5 + length;
    // Parse what has arrived of a partial record: a truncated ClientHello still says "incomplete".
    const fragment = buf.subarray(at + 5, Math.min(end, buf.length));
    parts.push(fragment);
    total += fragment.length;
    if (need === Number.POSITIVE_INFINITY && total >= 4) {
      const head = parts.length === 1 ? parts[0]! : concat(parts, 4);
      if (head[0] !== HANDSHAKE_CLIENT_HELLO) return 'invalid';
      need = 4 + ((head[1]! << 16) | (head[2]! << 8) | head[3]!);
      if (need > MAX_HANDSHAKE_BYTES) return 'invalid';
    }
    if (end > buf.length) return total >= need ? concat(parts, need) : 'incomplete';
    at = end;
  }
  return concat(parts, need);
};

const concat = (parts: Uint8Array[], limit: number): Uint8Array => {
  const out = new Uint8Array(
    Math.min(
      limit,
      parts.reduce((n, p) => n + p.length, 0),
    ),
  );
  let at = 0;
  for (const part of parts) {
    if (at >= out.length) break;
    const take = part.subarray(0, out.length - at);
    out.set(take, at);
    at += take.length;
  }
  return out;
};

/** Host names are printable ASCII without spaces; anything else is not reported as a name. */
const hostName = (bytes: Uint8Array): string | undefined => {
  if (bytes.length === 0 || bytes.length > 255) return undefined;
  for (const byte of bytes) if (byte < 0x21 || byte > 0x7e) return undefined;
  return String.fromCharCode(...bytes);
};

/** Parses a ClientHello handshake message (type, 3-byte length, body); `hs` holds exactly the message. */
const parseHello = (hs: Uint8Array): ClientHelloResult => {
  let at = 4;
  const end = hs.length;
  // legacy_version (2) + random (32)
  at += 2 + 32;
  if (at + 1 > end) return { status: 'invalid' };
  at += 1 + hs[at]!; // legacy_session_id
  if (at + 2 > end) return { status: 'invalid' };
  const suites = u16(hs, at);
  if (suites < 2 || suites % 2 !== 0) return { status: 'invalid' };
  at += 2 + suites;
  if (at + 1 > end) return { status: 'invalid' };
  const compression = hs[at]!;
  if (compression < 1) return { status: 'invalid' };
  at += 1 + compression;
  if (at > end) return { status: 'invalid' };
  // No extensions at all (very old clients): a valid hello without a name.
  if (at === end) return { status: 'complete' };
  if (at + 2 > end) return { status: 'invalid' };
  const extensionsEnd = at + 2 + u16(hs, at);
  if (extensionsEnd > end) return { status: 'invalid' };
  at += 2;
  while (at + 4 <= extensionsEnd) {
    const type = u16(hs, at);
    const length = u16(hs, at + 2);
    const dataEnd = at + 4 + length;
    if (dataEnd > extensionsEnd) return { status: 'invalid' };
    if (type === EXTENSION_SERVER_NAME)
      return { status: 'complete', ...serverName(hs.subarray(at + 4, dataEnd)) };
    at = dataEnd;
  }
  return at === extensionsEnd ? { status: 'complete' } : { status: 'invalid' };
};

/** The server_name extension's data: a list of (name_type, length, name); the first host_name counts. */
const serverName = (data: Uint8Array): { sni?: string } => {
  if (data.length < 2) return {};
  const listEnd = 2 + u16(data, 0);
  if (listEnd > data.length) return {};
  let at = 2;
  while (at + 3 <= listEnd) {
    const nameType = data[at]!;
    const length = u16(data, at + 1);
    const nameEnd = at + 3 + length;
    if (nameEnd > listEnd) return {};
    if (nameType === NAME_TYPE_HOST_NAME) {
      const sni = hostName(data.subarray(at + 3, nameEnd));
      return sni === undefined ? {} : { sni };
    }
    at = nameEnd;
  }
  return {};
};

/** Parses the first bytes of a connection as TLS records carrying a ClientHello. Never throws. */
export const parseClientHello = (buf: Uint8Array): ClientHelloResult => {
  const hs = handshakeBytes(buf);
  if (hs === 'invalid' || hs === 'incomplete') return { status: hs };
  return parseHello(hs);
};

/** The SNI host name of a complete ClientHello, or undefined (truncated, garbage, no name). */
export const sniFromClientHello = (buf: Uint8Array): string | undefined => {
  const result = parseClientHello(buf);
  return result.status === 'complete' ? result.sni : undefined;
};
