import { defineRule } from '../define-rule.js';
import { factsByFile, hostIs, hostOfUrl, isCallIn } from '../fact-queries.js';

/** IP-geolocation services: where the machine is, by its public address. */
export const GEO_HOSTS = [
  'ip-api.com',
  'ipinfo.io',
  'ipapi.co',
  'ipgeolocation.io',
  'geolocation-db.com',
  'freegeoip.app',
  'ipwho.is',
  'ipwhois.app',
  'get.geojs.io',
  'extreme-ip-lookup.com',
  'geoplugin.net',
  'ipapi.com',
  'ipregistry.co',
  'ipdata.co',
  'api.country.is',
];

/** encoded-tell details (`base64 ipgeolocation.io: …`, `base64 russia: russia`) the shape decoded. */
const GEO_TELL = /^\S+ (?:ipgeolocation\.io|ip-api\.com|ipinfo\.io|ipapi\.co|geolocation-db\.com|ipwho\.is):/;
const COUNTRY_TELL = /^\S+ (?:russia|belarus):/i;

export const evasionGeoTargeting = defineRule({
  id: 'evasion-geo-targeting',
  meta: {
    kind: 'threat',
    category: 'evasion',
    severity: 'high',
    confidence: 'medium',
    description:
      'Looks up the machine’s country by IP and branches on a targeted country (protestware, geo-fenced payloads)',
    references: [
      'https://snyk.io/blog/peacenotwar-malicious-npm-node-ipc-package-vulnerability/',
      'https://attack.mitre.org/techniques/T1614/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    for (const [file, fileFacts] of factsByFile(facts)) {
      const lookup = fileFacts.find((fact) => {
        if (fact.kind === 'shape') return fact.shape === 'encoded-tell' && GEO_TELL.test(fact.detail);
        if (fact.kind !== 'url') return false;
        const host = hostOfUrl(fact.value);
        return host !== undefined && GEO_HOSTS.some((geo) => hostIs(host, geo));
      });
      if (!lookup) continue;
      const check = fileFacts.find(
        (fact) =>
          fact.kind === 'shape' &&
          (fact.shape === 'country-check' ||
            (fact.shape === 'encoded-tell' && COUNTRY_TELL.test(fact.detail))),
      );
      if (check?.kind !== 'shape') continue;
      // node-ipc: geolocate, compare with Russia/Belarus, overwrite files.
      const acts = fileFacts.some((fact) => isCallIn(fact, ['filesystem-write', 'process']));
      // Both the lookup and the country hidden as encoded strings: concealment no widget needs.
      const hidden = lookup.kind === 'shape' && check.shape === 'encoded-tell';
      const where = lookup.kind === 'url' ? lookup.host : 'an encoded geolocation URL';
      report({
        message: `${file} geolocates via ${where} and ${check.detail}${acts ? ', then writes files or runs commands' : hidden ? ', both hidden as encoded strings' : ''}`,
        source: lookup.at,
        sink: check.at,
        confidence: acts || hidden ? 'high' : 'medium',
      });
    }
  },
});
