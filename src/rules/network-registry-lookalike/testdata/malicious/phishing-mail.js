// Mimics the npnjs.com / npmjs.help phishing kits (catalog §2.16, §2.19): a "verify your account" lure naming look-alike domains. Defanged: .invalid hosts, never sent.
const LOGIN = 'https://www.npnjs.com.invalid/login?next=/settings/tokens';
const body = `Your npm account needs 2FA re-verification. Contact support@npmjs.help.invalid or visit ${LOGIN}`;
console.log(body);
