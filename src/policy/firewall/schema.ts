/**
 * The JSON Schema of a firewall policy file. `schemas/firewall-policy.schema.json` is this
 * object written out (a test keeps the two equal); the copy here is what the loader compiles,
 * since the build only ships `src`.
 */

const action = { enum: ['allow', 'warn', 'hide', 'deny'] } as const;

const simpleRule = (description: string) =>
  ({
    description,
    oneOf: [
      { $ref: '#/$defs/action' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['action'],
        properties: { action: { $ref: '#/$defs/action' } },
      },
    ],
  }) as const;

export const RULE_IDS = [
  'malware',
  'malicious',
  'suspicious',
  'minimumReleaseAge',
  'installScripts',
  'vulnerabilities',
  'trustDowngrade',
  'exoticDependencies',
  'typosquat',
  'deprecated',
  'unpublished',
  'checkFailed',
] as const;

export const FIREWALL_POLICY_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://bulwark.invalid/schemas/firewall-policy.schema.json',
  title: 'bulwark firewall policy',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'Format version; 1 is the only one.' },
    dryRun: { type: 'boolean', description: 'Log what would be hidden or denied, serve it anyway.' },
    failMode: {
      enum: ['open', 'closed'],
      description: 'When upstream, intel or analysis fails: open serves with a warning, closed denies.',
    },
    rules: {
      type: 'object',
      additionalProperties: false,
      properties: {
        malware: simpleRule('A version listed as malware by the intel database.'),
        malicious: simpleRule('Code analysis verdict malicious.'),
        suspicious: simpleRule('Code analysis verdict suspicious.'),
        minimumReleaseAge: {
          description: 'Versions published less than `minutes` ago.',
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { $ref: '#/$defs/action' },
            minutes: { type: 'integer', minimum: 0, maximum: 5256000 },
          },
        },
        installScripts: {
          description: 'Versions with preinstall/install/postinstall scripts not pinned in `allow`.',
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { $ref: '#/$defs/action' },
            allow: {
              type: 'array',
              maxItems: 10000,
              uniqueItems: true,
              items: {
                type: 'string',
                pattern: '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*@[0-9A-Za-z.+-]+$',
              },
            },
          },
        },
        vulnerabilities: {
          description: 'Known vulnerabilities at or above `severity`.',
          type: 'object',
          additionalProperties: false,
          properties: {
            action: { $ref: '#/$defs/action' },
            severity: { enum: ['critical', 'high', 'medium', 'moderate', 'low'] },
          },
        },
        trustDowngrade: simpleRule(
          'Weaker publishing evidence (trusted publisher > provenance > none) than an earlier version.',
        ),
        exoticDependencies: simpleRule('Dependencies given as git, http(s), file or link specifiers.'),
        typosquat: simpleRule('A name that imitates a popular package.'),
        deprecated: simpleRule('A deprecated version.'),
        unpublished: simpleRule('A version that is no longer published.'),
      },
    },
    exceptions: {
      type: 'array',
      maxItems: 10000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['reason', 'expires'],
        oneOf: [{ required: ['package'] }, { required: ['scope'] }],
        properties: {
          package: {
            type: 'string',
            pattern: '^(@[a-z0-9][a-z0-9._~-]*/)?[a-z0-9._~-][a-z0-9._~-]*$',
            description: 'One package name.',
          },
          scope: {
            type: 'string',
            pattern: '^@[a-z0-9][a-z0-9._~-]*$',
            description: 'Every package of a scope, e.g. @acme.',
          },
          versions: {
            type: 'string',
            minLength: 1,
            description: 'A semver range; all versions when absent.',
          },
          rules: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { enum: [...RULE_IDS] },
            description: 'Rules waived; every rule when absent.',
          },
          reason: { type: 'string', minLength: 1, pattern: '\\S' },
          expires: {
            type: 'string',
            pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$',
            description: 'YYYY-MM-DD; the exception stops applying on that date.',
          },
          allowMalware: {
            const: true,
            description: 'Needed to waive malware or a malicious verdict.',
          },
        },
      },
    },
  },
  $defs: { action },
} as const;
