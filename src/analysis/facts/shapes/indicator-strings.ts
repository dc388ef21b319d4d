import type { ShapeContext, ShapeDetector } from './shape-detector.js';

/** Reserved test suffix after a host (samples write `pastebin.com.invalid/raw`). */
const R = String.raw`(?:\.(?:invalid|test|example))?`;

/**
 * Strings that name a place secrets or commands live: cloud metadata, wallet and browser stores,
 * chain RPC methods, dead-drop hosts. These are not URLs/paths the collector keeps as facts (bare
 * host names, extension ids, RPC method names), so they are reported as shapes.
 */
export const INDICATORS: readonly [shape: string, pattern: RegExp][] = [
  [
    'cloud-metadata-endpoint',
    /169\.254\.169\.254|169\.254\.170\.2(?!\d)|fd00:ec2::254|metadata\.google\.internal|\/computeMetadata\/v1|\/metadata\/identity\/oauth2\/token|\/latest\/meta-data|\/latest\/api\/token|100\.100\.100\.200/i,
  ],
  ['kubernetes-token-path', /\/var\/run\/secrets\/(?:kubernetes\.io\/serviceaccount|eks\.amazonaws\.com)/],
  ['vault-token-path', /(?:^|[\\/~])\.vault-token$/],
  [
    'secret-store-api',
    /secretmanager\.googleapis\.com|\.vault\.azure\.net|secretsmanager\.[a-z0-9-]+\.amazonaws\.com|^\/?v1\/secret\/(?:data|metadata)\//,
  ],
  [
    'wallet-extension-id',
    /nkbihfbeogaeaoehlefnkodbefgpgknn|ejbalbakoplchlghecdalmeeeajnimhm|bfnaelmomeimhlpmgjnjophhpkkoljpa|hnfanknocfeofbddgcijnmhnfnkdnaad|ibnejdfjmmkpcnlpebklmnkoeoihofec|fhbohimaelbohpjbbldcngcnapndodjp|fnjhmkhhmkbjkkabndcnnogagogbneec|aholpfdialjgjfhomihkjbmgjidlcdno|dmkamcknogkgcdfhhbddcghachkejeap|acmacodkjbdgmoleebolmdjonilkdbch|egjidjbpglichdcondbcbdnbeeppgdph|aeachknmefphepccionboohckonoeemg|bhhhlbepdkbapadjdnnojkbgioiodbic|odbfpeeihdkbihmopkbjmoonfanlbfcl|hifafgmccdpekplomjjkcfgodnhcellj|nphplpgoakhhjchkkhmiggakijnkhfnd|jblndlipeogpafnldhgmapagcccfchpi|ppbibelpcjmhbdihakflkdcoccbgbkpo|fldfpgipfncgndfolcbkdeeknbbbnhcc|mcohilncbfahbmgdjkbpemcciiolgcge/,
  ],
  [
    'wallet-app-data',
    /atomic[\\/]Local Storage|Ledger Live|exodus\.wallet|Exodus[\\/]exodus|\.electrum[\\/]wallets|Electrum[\\/]wallets|\bwallet\.dat\b|Coinomi[\\/]|Guarda[\\/]|com\.liberty\.jaxx|Armory[\\/]|\.bitcoin[\\/]wallets|solana[\\/]id\.json|\.ethereum[\\/]keystore|Library[\\/]Keychains|login\.keychain/i,
  ],
  [
    'browser-secret-store',
    /\bLogin Data\b|Local Extension Settings|IndexedDB[\\/]chrome-extension|\bkey4\.db$|\blogins\.json$|\bcookies\.sqlite$/,
  ],
  [
    'browser-key-access',
    /(?:Chrome|Chromium|Brave|Microsoft Edge|Opera|Vivaldi) Safe Storage|\bos_crypt\b|\bdump-keychain\b|\bfind-generic-password\b|\bCryptUnprotectData\b|ProtectedData\]::Unprotect/,
  ],
  [
    'browser-profile-dir',
    /Google[\\/]Chrome[\\/]User Data|BraveSoftware[\\/]Brave-Browser(?![\\/]Application)|Microsoft[\\/]Edge[\\/]User Data|Opera Software[\\/]Opera|Mozilla[\\/]Firefox[\\/]Profiles|Application Support[\\/](?:Google[\\/]Chrome|BraveSoftware)|\.config[\\/](?:google-chrome|BraveSoftware|chromium)\b/i,
  ],
  [
    'chain-rpc-call',
    /^(?:eth_call|eth_getStorageAt|eth_getTransactionByHash|eth_getLogs|getSignaturesForAddress)$|MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr|Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo/,
  ],
  [
    'chain-rpc-host',
    /(?:^|[/.@])(?:[\w-]+\.infura\.io|[\w-]+\.alchemy(?:api)?\.io|cloudflare-eth\.com|rpc\.ankr\.com|bsc-dataseed\d*\.binance\.org|api\.mainnet-beta\.solana\.com|api\.trongrid\.io|polygon-rpc\.com|api\.etherscan\.io|eth\.llamarpc\.com|ethereum(?:-rpc)?\.publicnode\.com|eth\.drpc\.org)/i,
  ],
  // Command fragments (obfuscators split commands across array entries, so each piece is matched).
  ['curl-file-upload', /\s-F\s*['"]?[\w-]+=@|--upload-file\s|--data-binary\s+['"]?@/],
  ['archive-command', /\b(?:zip\s+-[a-zA-Z]*r|tar\s+-?[a-zA-Z]*c[a-zA-Z]*f|7z\s+a)\s/],
  [
    'dead-drop-host',
    new RegExp(
      String.raw`pastebin\.com${R}\/raw|paste\.ee${R}\/r\/|rentry\.(?:co|org)${R}\/[\w-]+\/raw|hastebin\.com${R}\/raw|gist\.githubusercontent\.com|calendar\.app\.google|\.(?:raw\.)?icp0\.io|\.(?:raw\.)?ic0\.app|justpaste\.it|controlc\.com|pastecode\.io|dpaste\.(?:com|org)|ghostbin\.|telegra\.ph`,
      'i',
    ),
  ],
];

const ANY = new RegExp(INDICATORS.map(([, re]) => `(?:${re.source})`).join('|'), 'i');
const MAX_LENGTH = 300;

/**
 * Identifiers that are indicators: secret-manager API names (`new ListSecretsCommand()`,
 * `client.accessSecretVersion`) and Chrome's key holder (`localState.os_crypt.encrypted_key`;
 * `encrypted_key` alone is also a JWE field).
 */
const IDENTIFIER_INDICATORS = new Map([
  ['ListSecretsCommand', 'secret-store-api'],
  ['BatchGetSecretValueCommand', 'secret-store-api'],
  ['GetSecretValueCommand', 'secret-store-api'],
  ['listSecrets', 'secret-store-api'],
  ['accessSecretVersion', 'secret-store-api'],
  ['getSecretValue', 'secret-store-api'],
  ['os_crypt', 'browser-key-access'],
  ['CryptUnprotectData', 'browser-key-access'],
]);

const seenPerFile = new WeakMap<ShapeContext, Set<string>>();

const reportOnce = (ctx: ShapeContext, shape: string, detail: string) => {
  let seen = seenPerFile.get(ctx);
  if (!seen) {
    seen = new Set();
    seenPerFile.set(ctx, seen);
  }
  const key = `${shape}\0${detail}`;
  if (seen.has(key) || seen.size >= 64) return;
  seen.add(key);
  ctx.report(shape, detail);
};

const check = (ctx: ShapeContext, value: string) => {
  if (value.length < 6 || value.length > MAX_LENGTH || !ANY.test(value)) return;
  for (const [shape, re] of INDICATORS) if (re.test(value)) reportOnce(ctx, shape, value);
};

/** Reports indicator strings (literals, folded concatenations, template parts) and API names. */
export const indicatorStrings: ShapeDetector = {
  shapes: INDICATORS.map(([shape]) => shape),
  types: ['Literal', 'TemplateLiteral', 'BinaryExpression', 'Identifier'],
  detect(ctx) {
    const { node, parent } = ctx;
    switch (node.type) {
      case 'Identifier':
        {
          const shape = IDENTIFIER_INDICATORS.get(node.name);
          if (shape !== undefined) reportOnce(ctx, shape, node.name);
        }
        return;
      case 'Literal':
        if (typeof node.value === 'string') check(ctx, node.value);
        return;
      case 'TemplateLiteral':
      case 'BinaryExpression': {
        if (parent?.type === 'BinaryExpression' || parent?.type === 'TemplateLiteral') return;
        if (node.type === 'BinaryExpression' && node.operator !== '+') return;
        const folded = ctx.fold(node);
        if (folded) check(ctx, folded.value);
        else if (node.type === 'TemplateLiteral')
          for (const quasi of node.quasis.slice(0, 8)) check(ctx, quasi.value.cooked ?? '');
        return;
      }
      default:
        return;
    }
  },
};
