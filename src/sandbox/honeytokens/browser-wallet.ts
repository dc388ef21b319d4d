/** Browser-profile and wallet files: plausible on disk, read only by stealers. */
import type { Identity } from './identity.js';
import { DIGITS, type Random, randomBytes, randomIndex, randomString } from './random.js';
import { hexString, uuid } from './tokens.js';

/** A valid, empty SQLite 3 database of one 4096-byte page. */
export function emptySqlite(random: Random): Uint8Array {
  const page = Buffer.alloc(4096);
  page.write('SQLite format 3\0', 0, 'latin1');
  page.writeUInt16BE(4096, 16); // page size
  page[18] = 1; // file format write version
  page[19] = 1; // read version
  page[21] = 64; // max embedded payload fraction
  page[22] = 32; // min embedded payload fraction
  page[23] = 32; // leaf payload fraction
  const counter = 1 + randomIndex(random, 400);
  page.writeUInt32BE(counter, 24); // file change counter
  page.writeUInt32BE(1, 28); // size in pages
  page.writeUInt32BE(1, 40); // schema cookie
  page.writeUInt32BE(4, 44); // schema format
  page.writeUInt32BE(1, 56); // UTF-8
  page.writeUInt32BE(counter, 92); // version-valid-for
  page.writeUInt32BE(3_045_001, 96); // SQLITE_VERSION_NUMBER
  page[100] = 0x0d; // b-tree page 1: leaf table, no cells
  page.writeUInt16BE(4096, 105); // cell content area starts at the end
  return page;
}

export function chromeLocalState(id: Identity, now: number): string {
  // Chrome's clock: microseconds since 1601-01-01.
  const chromeTime = String((BigInt(now) + 11_644_473_600_000n) * 1000n);
  return JSON.stringify({
    browser: { enabled_labs_experiments: [], last_redirect_origin: '' },
    os_crypt: { portal: { prev_init_success: true, prev_used: false } },
    profile: {
      info_cache: {
        Default: {
          active_time: Math.floor(now / 1000) - 3600,
          name: id.fullName.split(' ')[0],
          user_name: '',
        },
      },
      last_used: 'Default',
      profiles_order: ['Default'],
    },
    user_experience_metrics: { stability: { browser_last_live_timestamp: chromeTime } },
  });
}

export function exodusSeco(random: Random): Uint8Array {
  const header = Buffer.alloc(64);
  header.write('SECO', 0, 'latin1');
  header.writeUInt32BE(0, 4);
  header.write('seco-v0-scrypt-aes', 12, 'latin1');
  return Buffer.concat([header, Buffer.from(randomBytes(random, 32 + 12 + 16 + 512))]);
}

export function ethereumKeystore(
  random: Random,
  now: number,
): { name: string; json: string; ciphertext: string } {
  const address = hexString(random, 40);
  const ciphertext = hexString(random, 64);
  const created = new Date(now - 86_400_000 * (30 + randomIndex(random, 600)));
  const stamp = `${created.toISOString().slice(0, 19).replaceAll(':', '-')}.${randomString(random, DIGITS, 9)}Z`;
  const json = JSON.stringify({
    address,
    crypto: {
      cipher: 'aes-128-ctr',
      ciphertext,
      cipherparams: { iv: hexString(random, 32) },
      kdf: 'scrypt',
      kdfparams: { dklen: 32, n: 262144, p: 1, r: 8, salt: hexString(random, 64) },
      mac: hexString(random, 64),
    },
    id: uuid(random),
    version: 3,
  });
  return { name: `UTC--${stamp}--${address}`, json, ciphertext };
}
