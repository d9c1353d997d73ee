// Baton's cookie mode from a page: the refresh token lives only in Baton's HttpOnly cookie; this
// script sees access tokens alone. Optional DPoP (RFC 9449) with a non-extractable WebCrypto key.
//
//   const session = new BatonBrowser.Session({ clientId: "web" });      // Baton on this origin
//   const session = new BatonBrowser.Session({ clientId: "web", baseURL: "https://auth.example.com" });
//   await session.start(handoffCode);  // the login backend's single-use code, once
//   await session.refresh();           // a fresh access token: session.accessToken
//   await session.logout();
(function () {
  "use strict";

  const encoder = new TextEncoder();

  function base64url(bytes) {
    let text = "";
    for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  /** An ES256 DPoP key whose private half cannot leave the browser (extractable: false). */
  class DPoPKey {
    constructor(pair) {
      this.pair = pair;
    }

    static async generate() {
      return new DPoPKey(await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, false, ["sign", "verify"]));
    }

    /** The public JWK, its required members only (RFC 7638). */
    async publicJWK() {
      const jwk = await crypto.subtle.exportKey("jwk", this.pair.publicKey);
      return { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
    }

    /** The RFC 7638 thumbprint: what the login backend sends Baton as `dpop_jkt`. */
    async thumbprint() {
      const jwk = await this.publicJWK();
      const canonical = `{"crv":"${jwk.crv}","kty":"${jwk.kty}","x":"${jwk.x}","y":"${jwk.y}"}`;
      return base64url(await crypto.subtle.digest("SHA-256", encoder.encode(canonical)));
    }

    /** A proof for `POST` to `htu` (RFC 9449 §4.2). */
    async proof(htu, nonce) {
      const header = { typ: "dpop+jwt", alg: "ES256", jwk: await this.publicJWK() };
      const claims = { jti: crypto.randomUUID(), htm: "POST", htu, iat: Math.floor(Date.now() / 1000) };
      if (nonce) claims.nonce = nonce;
      const input = base64url(encoder.encode(JSON.stringify(header))) + "." + base64url(encoder.encode(JSON.stringify(claims)));
      const signature = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.pair.privateKey, encoder.encode(input));
      return input + "." + base64url(signature);
    }
  }

  /** A refused request: Baton's `error` and `error_description`, and the HTTP status. */
  class BatonError extends Error {
    constructor(status, body) {
      super(body.error_description || `HTTP ${status}`);
      this.status = status;
      this.error = body.error;
    }
  }

  /** One cookie-mode session of a client, as a page holds it: access tokens only. */
  class Session {
    constructor({ clientId, baseURL = "", dpopKey = null }) {
      this.clientId = clientId;
      this.baseURL = baseURL;
      this.dpopKey = dpopKey;
      this.accessToken = null;
      this.expiresAt = 0;
      this.nonce = null;
    }

    /** Exchanges the login backend's handoff code for the session (the cookie) and a first access token. */
    start(handoffCode) {
      return this.post("session", "handoff_code=" + encodeURIComponent(handoffCode));
    }

    /** A new access token; the refresh token rotates inside the cookie. */
    refresh() {
      return this.post("refresh", "");
    }

    /** Ends the session everywhere it is refreshed; the cookie is cleared. */
    async logout() {
      await this.post("logout", "");
      this.accessToken = null;
    }

    async post(route, body, retried = false) {
      const url = new URL(`${this.baseURL}/browser/${route}?client_id=${encodeURIComponent(this.clientId)}`, location.href);
      const headers = { "X-Baton-CSRF": "1" };
      if (body) headers["Content-Type"] = "application/x-www-form-urlencoded";
      if (this.dpopKey) headers.DPoP = await this.dpopKey.proof(url.origin + url.pathname, this.nonce);
      const response = await fetch(url, { method: "POST", credentials: "include", headers, body: body || undefined });
      const nonce = response.headers.get("DPoP-Nonce");
      if (nonce) this.nonce = nonce;
      const json = await response.json();
      if (!response.ok) {
        if (json.error === "use_dpop_nonce" && nonce && !retried) return this.post(route, body, true);
        throw new BatonError(response.status, json);
      }
      if (json.access_token) {
        this.accessToken = json.access_token;
        this.expiresAt = Date.now() + json.expires_in * 1000;
      }
      return json;
    }
  }

  window.BatonBrowser = { Session, DPoPKey, BatonError };
})();
