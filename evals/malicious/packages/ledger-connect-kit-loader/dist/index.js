"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.loadConnectKit = exports.SupportedProviders = exports.SupportedProviderImplementations = void 0;
var SupportedProviders;
(function (SupportedProviders) {
    SupportedProviders["Ethereum"] = "Ethereum";
    SupportedProviders["Solana"] = "Solana";
})(SupportedProviders || (exports.SupportedProviders = SupportedProviders = {}));
var SupportedProviderImplementations;
(function (SupportedProviderImplementations) {
    SupportedProviderImplementations["LedgerConnect"] = "LedgerConnect";
    SupportedProviderImplementations["WalletConnect"] = "WalletConnect";
})(SupportedProviderImplementations || (exports.SupportedProviderImplementations = SupportedProviderImplementations = {}));
/**
 * Loads Connect Kit at runtime from the CDN, so that dApps get the latest
 * 1.x release without rebuilding.
 */
async function loadConnectKit() {
    const src = "https://cdn.jsdelivr.net.invalid/npm/@ledgerhq/connect-kit@1";
    const globalName = "ledgerConnectKit";
    return new Promise((resolve, reject) => {
        const scriptId = `ledger-ck-script-${globalName}`;
        // we don't support server side rendering, reject with no stack trace for now
        if (typeof document === "undefined") {
            reject("Connect Kit does not support server side");
            return;
        }
        if (document.getElementById(scriptId)) {
            resolve(window[globalName]);
        }
        else {
            const script = document.createElement("script");
            script.src = src;
            script.id = scriptId;
            script.addEventListener("load", () => {
                if (window[globalName]) {
                    resolve(window[globalName]);
                }
                else {
                    reject();
                }
            });
            script.addEventListener("error", (e) => {
                reject(e.error);
            });
            document.head.appendChild(script);
        }
    });
}
exports.loadConnectKit = loadConnectKit;
