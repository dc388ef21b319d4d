// Benign twin: a CLI printing its community links (Discord invite, Telegram docs), no webhook path.
console.log('Join us: https://discord.com/invite/fixture — bot docs: https://core.telegram.org/bots/api');
