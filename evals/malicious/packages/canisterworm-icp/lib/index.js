'use strict';

class DiscountApi {
  constructor({ basePath = 'https://api.emil.example/discountservice', accessToken } = {}) {
    this.basePath = basePath;
    this.accessToken = accessToken;
  }

  async request(method, route, body) {
    const response = await fetch(`${this.basePath}${route}`, {
      method,
      headers: { Authorization: `Bearer ${this.accessToken}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`discount-sdk: ${method} ${route} failed with ${response.status}`);
    return response.json();
  }

  listCampaigns(params = {}) {
    const query = new URLSearchParams(params).toString();
    return this.request('GET', `/v1/campaigns${query ? `?${query}` : ''}`);
  }

  createVoucher(campaignCode, voucher) {
    return this.request('POST', `/v1/campaigns/${encodeURIComponent(campaignCode)}/vouchers`, voucher);
  }

  redeemVoucher(code, policyCode) {
    return this.request('POST', `/v1/vouchers/${encodeURIComponent(code)}/redeem`, { policyCode });
  }
}

module.exports = { DiscountApi };
