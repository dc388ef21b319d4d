'use strict';

const BASE = 'https://users.roblox.example';
let cookie = null;

async function request(path, options = {}) {
  const response = await fetch(`${BASE}${path}`, {
    ...options,
    headers: { Cookie: cookie ? `.ROBLOSECURITY=${cookie}` : '', 'Content-Type': 'application/json', ...(options.headers || {}) },
  });
  if (!response.ok) throw new Error(`roblox: ${path} failed with ${response.status}`);
  return response.json();
}

module.exports = {
  setCookie: async (value) => {
    cookie = value;
    return request('/v1/users/authenticated');
  },
  getIdFromUsername: async (username) => {
    const body = await request('/v1/usernames/users', { method: 'POST', body: JSON.stringify({ usernames: [username] }) });
    return body.data[0] ? body.data[0].id : null;
  },
  getPlayerInfo: (userId) => request(`/v1/users/${Number(userId)}`),
};
