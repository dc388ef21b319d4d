import { cryptoRandom, HEX, pick, type Random, randomIndex, randomString } from './random.js';

/** Who the sandbox pretends to be: an ordinary developer on an ordinary Linux laptop. */
export type Identity = {
  user: string;
  hostname: string;
  /** `/home/<user>` */
  home: string;
  /** The project the package is installed into: `/home/<user>/<dir>/<app>`. */
  project: string;
  /** Another project beside it, so the home does not look staged. */
  otherProject: string;
  fullName: string;
  /** GitHub login, used in credentials URLs and the noreply e-mail. */
  githubLogin: string;
  /**
   * A GitHub noreply address (`<id>+<login>@users.noreply.github.com`), what GitHub's "keep my
   * e-mail private" setting puts in countless real `.gitconfig`s. It is not a tell-tale like
   * `example.com`, `.test` or `.invalid`, and it delivers to nobody: GitHub discards mail sent
   * to it, so no real company or person receives anything even if it leaks.
   */
  email: string;
};

const FIRST_NAMES = [
  'alex',
  'daniel',
  'maria',
  'chris',
  'emma',
  'lucas',
  'nina',
  'tom',
  'julia',
  'kevin',
  'sara',
  'mike',
  'anna',
  'david',
  'laura',
  'mark',
  'elena',
  'paul',
  'sofia',
  'jonas',
  'lena',
  'ryan',
  'olga',
  'marco',
  'ines',
  'peter',
  'hannah',
  'ivan',
  'chloe',
  'omar',
  'priya',
  'felix',
  'martin',
  'lisa',
  'james',
  'nora',
  'adam',
  'eva',
  'simon',
  'kate',
] as const;

const LAST_NAMES = [
  'kowalski',
  'miller',
  'schmidt',
  'novak',
  'garcia',
  'rossi',
  'jensen',
  'dubois',
  'silva',
  'weber',
  'nielsen',
  'costa',
  'fischer',
  'walsh',
  'moreau',
  'lindqvist',
  'horvath',
  'petrov',
  'becker',
  'morgan',
  'hughes',
  'keller',
  'varga',
  'santos',
  'brennan',
  'larsen',
  'mendes',
  'wagner',
  'ortiz',
  'klein',
] as const;

const HOST_MODELS = [
  'thinkpad',
  'xps',
  'laptop',
  'desktop',
  'workstation',
  'framework',
  'x1',
  't14',
] as const;

const PROJECT_DIRS = ['projects', 'src', 'code', 'work', 'dev', 'git'] as const;

const APPS = [
  'billing-api',
  'storefront',
  'dashboard',
  'invoice-service',
  'web-client',
  'admin-panel',
  'orders-worker',
  'landing-page',
  'auth-service',
  'mobile-backend',
  'reports',
  'crm-sync',
  'checkout',
  'notifications',
  'docs-site',
  'payments-gateway',
  'inventory',
  'analytics-web',
] as const;

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function pickIdentity(random: Random = cryptoRandom): Identity {
  const first = pick(random, FIRST_NAMES);
  const last = pick(random, LAST_NAMES);
  const userStyles = [first, `${first.charAt(0)}${last}`, `${first}${last.charAt(0)}`, `${first}.${last}`];
  const user = pick(random, userStyles.slice(0, 3)); // dots in a unix user name are unusual
  const hostStyles = [
    `${user}-${pick(random, HOST_MODELS)}`,
    `${first}-${pick(random, HOST_MODELS)}`,
    `dev-${randomString(random, HEX, 4)}`,
    `${pick(random, HOST_MODELS)}-${randomString(random, HEX, 4)}`,
  ];
  const hostname = pick(random, hostStyles);
  const home = `/home/${user}`;
  const dir = pick(random, PROJECT_DIRS);
  const appIndex = randomIndex(random, APPS.length);
  const app = APPS[appIndex] as string;
  const other = APPS[(appIndex + 1 + randomIndex(random, APPS.length - 1)) % APPS.length] as string;
  const githubLogin = pick(random, [
    `${first}${last}`,
    `${first}-${last}`,
    `${first.charAt(0)}${last}`,
    `${first}${last}-dev`,
  ]);
  const githubId = 10_000_000 + randomIndex(random, 180_000_000);
  return {
    user,
    hostname,
    home,
    project: `${home}/${dir}/${app}`,
    otherProject: `${home}/${dir}/${other}`,
    fullName: `${capitalize(first)} ${capitalize(last)}`,
    githubLogin,
    email: `${githubId}+${githubLogin}@users.noreply.github.com`,
  };
}

/** The word lists, exported so a test can check none of them carries a tell-tale. */
export const IDENTITY_WORDS: readonly string[] = [
  ...FIRST_NAMES,
  ...LAST_NAMES,
  ...HOST_MODELS,
  ...PROJECT_DIRS,
  ...APPS,
];
