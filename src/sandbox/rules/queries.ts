/** What several sandbox rules ask of the observations: who did it, what was written, where a path is. */
import type { ProcessInfo } from '../report/attribute.js';
import { isPackageManagerCommand } from '../report/attribute.js';
import { isNoiseWrite } from '../report/classify-path.js';
import type { RunView } from '../report/run-view.js';
import type { Actor, NetworkAttempt, SyscallResult, TraceEvent } from '../types.js';
import type { SandboxRuleInput } from './define-sandbox-rule.js';

export const viewOf = (input: SandboxRuleInput, run: string): RunView | undefined =>
  input.runs.find((view) => view.record.name === run);

export const infoOf = (input: SandboxRuleInput, actor: Actor | undefined): ProcessInfo | undefined =>
  actor ? viewOf(input, actor.run)?.processes.get(actor.pid) : undefined;

/** Chains join on the package subtree of one run (a script's node reads, its curl sends). */
export const subjectOf = (actor: Actor): string => `${actor.run}\0${actor.package ?? ''}`;

/** `~/.ssh/id_rsa` for paths in the sandbox home. */
export const displayPath = (path: string, view: RunView | undefined): string => {
  const home = view?.record.identity.home;
  return home && (path === home || path.startsWith(`${home}/`)) ? `~${path.slice(home.length)}` : path;
};

/** A command line for evidence (arguments with spaces quoted; escaping for display is the renderer's job). */
export const commandLine = (argv: readonly string[], max = 200): string => {
  const line = argv.map((arg) => (arg === '' || /[\s'"]/.test(arg) ? JSON.stringify(arg) : arg)).join(' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** `postinstall of evil-pkg` / `import of evil-pkg`. */
export const who = (actor: Actor | undefined): string => {
  if (!actor) return 'an unattributed process';
  const name = actor.package ?? 'an unnamed package';
  return actor.script ? `the ${actor.script} script of ${name}` : `${name} (${actor.phase})`;
};

export const outcome = (result: SyscallResult): string => (result.ok ? '' : ` (failed: ${result.errno})`);

export type Write = { path: string; at: number; event: TraceEvent; info: ProcessInfo; actor: Actor };

/** Every attempt to write a path: opens for writing, rename and link targets, unlinks, mkdirs. Failed ones too. */
export const writesOf = (view: RunView): Write[] => {
  const writes: Write[] = [];
  for (const { event, info, actor } of view.events) {
    const add = (path: string): void => {
      if (!isNoiseWrite(path)) writes.push({ path, at: event.at, event, info, actor });
    };
    if (event.kind === 'open' && event.access !== 'read') add(event.path);
    else if (event.kind === 'rename') add(event.to);
    else if (event.kind === 'link') add(event.to);
    else if (event.kind === 'unlink' || event.kind === 'mkdir') add(event.path);
  }
  return writes;
};

/** Opens for reading (read or read-write), failed ones too, directory listings included. */
export const readsOf = (view: RunView) =>
  view.events.flatMap(({ event, info, actor }) =>
    event.kind === 'open' && event.access !== 'write' ? [{ event, info, actor }] : [],
  );

/** The arguments after the package-manager CLI (`npm`, or `node …/npm-cli.js`). */
const cliArguments = (argv: readonly string[]): string[] => {
  const first = argv[0] ?? '';
  return /^node(?:js)?$/.test(first.slice(first.lastIndexOf('/') + 1)) ? argv.slice(2) : argv.slice(1);
};

/** `npm publish`, `yarn npm publish`, `npx -y npm@9 publish`: publish as the first word after the CLI and its options. */
const PUBLISH_LINE =
  /(?:^|[\s;&|(`])(?:npm|pnpm|bun|yarn(?:\s+npm)?|npx\s+(?:-\S+\s+)*npm(?:@\S*)?)\s+(?:-\S+\s+)*publish(?=$|[\s;&|)`])/;

/** `npm publish`, `yarn npm publish`, `pnpm publish`, or a shell command line running one. */
export const isPublishCommand = (argv: readonly string[]): boolean => {
  if (isPackageManagerCommand(argv)) {
    const args = cliArguments(argv).filter((arg) => !arg.startsWith('-'));
    return args[0] === 'publish' || (args[0] === 'npm' && args[1] === 'publish');
  }
  return argv.some((arg) => PUBLISH_LINE.test(arg));
};

const LOOPBACK_V4 = /^127\./;
/** The netns's own address, which the sinkhole and its DNS live behind. */
export const SANDBOX_ADDRESS = '10.255.0.1';

/** Public as the sandbox sees it: everything but loopback, unspecified and the netns's own address (documentation ranges stand in for attackers). */
export const isPublicAddress = (address: string): boolean =>
  !(
    LOOPBACK_V4.test(address) ||
    address === '::1' ||
    address === '0.0.0.0' ||
    address === '::' ||
    address === SANDBOX_ADDRESS
  );

/** Outbound: any attempt that is not to loopback or the netns itself. */
export const isOutbound = (attempt: NetworkAttempt): boolean =>
  attempt.address === undefined || isPublicAddress(attempt.address);

export const destination = (attempt: NetworkAttempt): string => {
  const where = attempt.host ?? attempt.address ?? 'unknown address';
  const port = attempt.port !== undefined ? `:${attempt.port}` : '';
  const http = attempt.http ? ` ${attempt.http.method} ${attempt.http.target}` : '';
  const ip = attempt.host && attempt.address && attempt.literalIp ? ` (${attempt.address})` : '';
  return `${attempt.protocol} ${where}${port}${ip}${http}`;
};
