import type { Confidence } from '../../analysis/types.js';
import { defineRule } from '../define-rule.js';
import { allTexts, hostForMatching, hostIs } from '../fact-queries.js';

type Drop = {
  name: string;
  test: (host: string, path: string) => boolean;
  confidence: Confidence;
  sdks?: RegExp;
};

const domains =
  (...list: string[]) =>
  (host: string): boolean =>
    list.some((domain) => hostIs(host, domain));

/** Places attackers post stolen data to. Hosts are matched after hostForMatching (reserved TLDs stripped). */
export const DROPS: readonly Drop[] = [
  {
    name: 'Discord webhook',
    test: (host, path) =>
      domains('discord.com', 'discordapp.com')(host) &&
      /^\/api\/(?:v\d+\/)?webhooks\/[^/]+\/[^/]+/.test(path),
    confidence: 'high',
  },
  {
    name: 'Telegram bot API',
    test: (host, path) => hostIs(host, 'api.telegram.org') && /^\/bot[^/]+\/\w+/.test(path),
    confidence: 'high',
  },
  {
    name: 'request catcher',
    test: domains(
      'webhook.site',
      'webhook.cool',
      'pipedream.net',
      'requestbin.net',
      'requestcatcher.com',
      'beeceptor.com',
      'oastify.com',
      'burpcollaborator.net',
      'interact.sh',
      'oast.fun',
      'oast.pro',
      'oast.live',
      'oast.site',
      'oast.online',
      'oast.me',
      'canarytokens.com',
      'dnslog.cn',
    ),
    confidence: 'high',
  },
  {
    name: 'tunnel',
    test: domains(
      'ngrok.io',
      'ngrok-free.app',
      'ngrok.app',
      'trycloudflare.com',
      'serveo.net',
      'localtunnel.me',
      'loca.lt',
    ),
    confidence: 'medium',
    sdks: /^(?:@ngrok\/|ngrok$|localtunnel$|cloudflared$)/,
  },
  {
    name: 'file drop',
    test: domains(
      'file.io',
      'transfer.sh',
      'gofile.io',
      'anonfiles.com',
      'bashupload.com',
      'temp.sh',
      'catbox.moe',
    ),
    confidence: 'medium',
  },
  {
    name: 'Dropbox API',
    test: domains('content.dropboxapi.com', 'api.dropboxapi.com'),
    confidence: 'medium',
    sdks: /^(?:dropbox$|@dropbox\/)/,
  },
];

const URL_IN_TEXT = /https?:\/\/[^\s'"`<>()]+/gi;

const urlsIn = (text: string): URL[] => {
  const urls: URL[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    try {
      urls.push(new URL(match[0]));
    } catch {
      // not a URL after all
    }
  }
  return urls;
};

export const exfilWebhookDomain = defineRule({
  id: 'exfil-webhook-domain',
  meta: {
    kind: 'threat',
    category: 'exfiltration',
    severity: 'high',
    confidence: 'high',
    description: 'Code addresses a Discord/Telegram webhook, request catcher, tunnel or file drop',
    references: [
      'https://socket.dev/blog/60-malicious-npm-packages-leak-network-and-host-data',
      'https://attack.mitre.org/techniques/T1567/',
    ],
    version: 1,
  },
  detect({ facts, report }) {
    const packageName = facts.manifest.name;
    for (const { text, at } of allTexts(facts)) {
      for (const url of urlsIn(text)) {
        const host = hostForMatching(url.hostname);
        const drop = DROPS.find((candidate) => candidate.test(host, url.pathname));
        if (!drop || drop.sdks?.test(packageName)) continue;
        report({
          message: `sends to a ${drop.name}: ${host}${url.pathname.slice(0, 40)}`,
          at,
          confidence: drop.confidence,
        });
      }
    }
  },
});
