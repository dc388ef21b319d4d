import { keyName } from './node-names.js';
import type { ShapeDetector } from './shape-detector.js';

const SECRET_KEYS = new Map<string, string>([
  ['refreshtoken', 'refresh token'],
  ['refresh_token', 'refresh token'],
  ['clientsecret', 'client secret'],
  ['client_secret', 'client secret'],
  ['secretaccesskey', 'secret access key'],
  ['appsecret', 'app secret'],
  ['app_secret', 'app secret'],
]);
/** Documentation and test placeholders. */
const PLACEHOLDER = /your|xxx|example|placeholder|changeme|dummy|<|\$\{|\s|^(.)\1+$/i;

/** `refreshToken: 'sl.B7…'`: an account credential written into the code as a literal. */
export const hardcodedOauthSecret: ShapeDetector = {
  shapes: ['hardcoded-oauth-secret'],
  types: ['Property'],
  detect({ node, report }) {
    if (node.type !== 'Property') return;
    const value = node.value;
    if (value.type !== 'Literal' || typeof value.value !== 'string') return;
    const name = keyName(node);
    const kind =
      name && name.length >= 9 && name.length <= 15 ? SECRET_KEYS.get(name.toLowerCase()) : undefined;
    if (kind === undefined) return;
    if (value.value.length < 16 || value.value.length > 2048 || PLACEHOLDER.test(value.value)) return;
    report('hardcoded-oauth-secret', `${kind} literal (${value.value.length} characters)`);
  },
};
