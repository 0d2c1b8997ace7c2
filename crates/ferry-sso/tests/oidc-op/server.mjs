// A real OpenID Provider on loopback for Ferry's sign-in test: panva's certified
// oidc-provider with its built-in development login pages. Usage:
//   node server.mjs CLIENTS_JSON   (a file: [{client_id, client_secret, redirect_uris}])
// Prints "listening <issuer>" once it serves. The development login pages accept any
// user name and password; the consent page follows.
import fs from 'node:fs';
import http from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: clients.map((c) => ({
    client_id: c.client_id,
    client_secret: c.client_secret,
    redirect_uris: c.redirect_uris,
    post_logout_redirect_uris: c.post_logout_redirect_uris ?? [],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  })),
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email'], profile: ['name'], groups: ['groups'] },
  scopes: ['openid', 'email', 'profile', 'groups'],
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.org`, name: id, groups: ['members', 'board'] };
      },
    };
  },
  // Claims in the ID token too, as Ferry sets up on the real providers.
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['ferry-test-only-cookie-key'] },
});

server.on('request', provider.callback());
console.log(`listening ${issuer}`);
