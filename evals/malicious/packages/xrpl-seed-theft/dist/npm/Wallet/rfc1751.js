"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.keyToRFC1751Mnemonic = exports.rfc1751MnemonicToKey = void 0;
const utils_1 = require("@xrplf/isomorphic/utils");
const rfc1751Words_json_1 = require("./rfc1751Words.json");
const rfc1751WordList = rfc1751Words_json_1;
const BINARY = ['0000', '0001', '0010', '0011', '0100', '0101', '0110', '0111',
    '1000', '1001', '1010', '1011', '1100', '1101', '1110', '1111'];
function keyToBinary(key) {
    let res = '';
    for (const num of key) {
        res += BINARY[num >> 4] + BINARY[num & 0x0f];
    }
    return res;
}
function extract(key, start, length) {
    const subKey = key.substring(start, start + length);
    let acc = 0;
    for (let index = 0; index < subKey.length; index++) {
        acc = acc * 2 + subKey.charCodeAt(index) - 48;
    }
    return acc;
}
function rfc1751MnemonicToKey(english) {
    const words = english.split(' ');
    const key = [];
    for (let index = 0; index < words.length; index += 6) {
        const { key: subKey, word: word1 } = getSubKey(words, index);
        const keyBlocks = swap128(subKey);
        key.push(...keyBlocks);
        if (word1 === '') {
            break;
        }
    }
    return Uint8Array.from(key);
}
exports.rfc1751MnemonicToKey = rfc1751MnemonicToKey;
function getSubKey(words, index) {
    const sublist = words.slice(index, index + 6);
    let bits = 0;
    const ch = [0, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const word of sublist) {
        const idx = rfc1751WordList.indexOf(word.toUpperCase());
        if (idx === -1) {
            throw new TypeError(`Expected an RFC1751 word, but received '${word}'. ` +
                `For the full list of words in the RFC1751 encoding see RFC 1751`);
        }
        const shift = (8 - ((bits + 11) % 8)) % 8;
        const y = idx << shift;
        const cl = y >> 16;
        const cc = (y >> 8) & 0xff;
        const cr = y & 0xff;
        const t = Math.floor(bits / 8);
        if (shift > 5) {
            ch[t] |= cl;
            ch[t + 1] |= cc;
            ch[t + 2] |= cr;
        }
        else if (shift > -3) {
            ch[t] |= cc;
            ch[t + 1] |= cr;
        }
        else {
            ch[t] |= cc;
        }
        bits += 11;
    }
    const subKey = ch.slice();
    let parity = 0;
    const bin = keyToBinary(subKey.slice(0, 8));
    for (let i = 0; i < 64; i += 2) {
        parity += extract(bin, i, 2);
    }
    if ((parity & 3) !== (subKey[8] >> 6)) {
        throw new Error('Parity bit of RFC1751 mnemonic does not match');
    }
    return { key: subKey.slice(0, 8), word: sublist[5] ?? '' };
}
function keyToRFC1751Mnemonic(hex_key) {
    const buf = (0, utils_1.hexToBytes)(hex_key.replace(/\s+/gu, ''));
    return Array.from(buf).join(' ');
}
exports.keyToRFC1751Mnemonic = keyToRFC1751Mnemonic;
function swap128(arr) {
    const reversedBytes = arr.slice().reverse();
    return reversedBytes;
}
//# sourceMappingURL=rfc1751.js.map
