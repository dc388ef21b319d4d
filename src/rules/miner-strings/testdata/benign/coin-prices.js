// Benign twin: a price widget that names coins, including Monero, and mines nothing.
const COINS = { bitcoin: 'BTC', ethereum: 'ETH', monero: 'XMR' };
module.exports = (prices) => Object.entries(COINS).map(([name, ticker]) => `${name} (${ticker}): ${prices[ticker]}`);
