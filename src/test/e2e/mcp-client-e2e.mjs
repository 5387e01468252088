// End-to-end scenarios of kinde-mcp-bridge driven by the official TypeScript MCP SDK client.
// The script plays the user's browser itself: it follows the redirects of the authorization flow, submits
// the bridge's consent form, and lets the Kinde-compatible test provider log the user in.
//
// usage: node mcp-client-e2e.mjs <user|permission|machine|openapi|openapi-permission>
// env:   MCP_URL (the bridge's MCP endpoint), BRIDGE_ISSUER, KINDE_ISSUER, KINDE_AUDIENCE,
//        AGENT_ID / AGENT_SECRET (Kinde M2M credentials, machine mode),
//        TASKS_API (the task API of the OpenAPI modes), KINDE_USER_ID (the Kinde user who logs in)
// Prints "ok <step>" per step and "E2E-RESULT <json>" at the end; exits 1 at the first failed step.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError, auth } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import crypto from 'node:crypto';
import { checker, required, run } from './steps.mjs';

const MODE = process.argv[2] ?? 'user';
const MCP_URL = new URL(required('MCP_URL'));
const ISSUER = required('BRIDGE_ISSUER');
const REDIRECT = 'http://localhost:8765/callback';   // a native client's loopback callback; nothing listens
const result = { mode: MODE, steps: [], statuses: [] };
const check = checker(result);

// Every HTTP exchange of the SDK, so that the test can check what went over the wire.
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  result.statuses.push({ method: init?.method ?? 'GET', path: new URL(url).pathname, status: response.status,
    challenge: response.headers.get('www-authenticate') ?? undefined });
  return response;
};

class CookieJar {
  #hosts = new Map();
  header(url) {
    const jar = this.#hosts.get(new URL(url).host);
    return jar?.size ? { cookie: [...jar].map(([n, v]) => `${n}=${v}`).join('; ') } : {};
  }
  store(url, setCookies) {
    const host = new URL(url).host;
    const jar = this.#hosts.get(host) ?? new Map();
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      if (attributes.some(a => /^\s*max-age\s*=\s*(0|-)/i.test(a))) jar.delete(name); else jar.set(name, value);
    }
    this.#hosts.set(host, jar);
  }
}

const unescapeHtml = s => s.replace(/&(amp|quot|#39|#x27|lt|gt);/g,
  (_, e) => ({ amp: '&', quot: '"', '#39': "'", '#x27': "'", lt: '<', gt: '>' })[e]);
const attributesOf = tag => Object.fromEntries([...tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)]
  .map(m => [m[1].toLowerCase(), unescapeHtml(m[2] ?? m[3] ?? m[4])]));

// The bridge's consent page: every named field of its POST form plus the approve button.
function consentSubmission(html, pageUrl) {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form on ${pageUrl}`);
  const formAttributes = attributesOf(form[1]);
  if ((formAttributes.method ?? 'get').toLowerCase() !== 'post') throw new Error('the consent form must use POST');
  const body = new URLSearchParams();
  let approve;
  for (const [tag, element] of form[2].matchAll(/<(input|button)\b[^>]*>/gi)) {
    const a = attributesOf(tag);
    const type = (a.type ?? (element.toLowerCase() === 'button' ? 'submit' : 'text')).toLowerCase();
    if (!a.name) continue;
    if (type === 'submit') {
      if (!approve && /approve|allow/i.test(`${a.name} ${a.value ?? ''}`)) approve = a;
      continue;
    }
    body.append(a.name, a.value ?? '');
  }
  if (!approve) throw new Error('no approve button on the consent page');
  body.append(approve.name, approve.value ?? '');
  return { url: new URL(formAttributes.action ?? pageUrl, pageUrl).href, method: 'POST', body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(pageUrl).origin,
      'sec-fetch-site': 'same-origin' } };
}

// An OAuth client provider for a native app whose "browser" is this script.
class HeadlessBrowserProvider {
  consents = 0;
  get redirectUrl() { return REDIRECT; }
  get clientMetadata() {
    return { client_name: 'kinde-mcp-bridge e2e', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  state() { return (this.currentState = crypto.randomBytes(16).toString('base64url')); }
  clientInformation() { return this.client; }
  saveClientInformation(client) { this.client = client; }
  tokens() { return this.savedTokens; }
  saveTokens(tokens) { this.savedTokens = tokens; }
  saveCodeVerifier(verifier) { this.verifier = verifier; }
  codeVerifier() { return this.verifier; }
  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'tokens') this.savedTokens = undefined;
    if (scope === 'all' || scope === 'client') this.client = undefined;
  }
  async redirectToAuthorization(url) {
    this.requestedScope = url.searchParams.get('scope');
    const jar = new CookieJar();
    let request = { url: url.href, method: 'GET' };
    for (let hop = 0; hop < 20; hop++) {
      const response = await fetch(request.url, { method: request.method, body: request.body, redirect: 'manual',
        headers: { ...request.headers, ...jar.header(request.url) } });
      jar.store(request.url, response.headers.getSetCookie());
      const location = response.headers.get('location');
      if (location) {
        const next = new URL(location, request.url);
        if (next.href.startsWith(REDIRECT)) {
          const p = next.searchParams;
          if (p.get('error')) throw new Error(`authorization ended with ${p.get('error')}`);
          if (p.get('state') !== this.currentState) throw new Error('state mismatch');
          // RFC 9207: the bridge names itself; SDK 1.x does not check it, this browser does
          if (p.get('iss') !== ISSUER) throw new Error(`iss mismatch: ${p.get('iss')}`);
          this.code = p.get('code');
          return;
        }
        request = { url: next.href, method: 'GET' };
      } else if (response.status === 200 && /text\/html/i.test(response.headers.get('content-type') ?? '')) {
        if (new URL(request.url).origin !== new URL(ISSUER).origin) {
          throw new Error(`a page that is not the bridge's consent page: ${request.url}`);
        }
        this.consents++;
        request = consentSubmission(await response.text(), request.url);
      } else {
        throw new Error(`the authorization flow stopped at ${request.url} with HTTP ${response.status}`);
      }
    }
    throw new Error('too many redirects');
  }
}

// Calls a tool; on a 403 insufficient_scope challenge, re-authorizes with the challenged scope and calls again.
// SDK 1.32.2 answers such a challenge itself by refreshing the token when it holds a refresh token, which cannot
// widen the scope (RFC 6749 §6), and then gives up with "Server returned 403 after trying upscoping"; this client
// then does what the MCP authorization spec asks: a new authorization request with the challenged scope.
async function callWithStepUp(provider, client, request) {
  const before = result.statuses.length;
  try {
    return await client.callTool(request);
  } catch (e) {
    const challenge = result.statuses.slice(before).reverse().find(s => s.status === 403)?.challenge ?? '';
    if (!/insufficient_scope/.test(challenge)) throw e;
    const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
    provider.invalidateCredentials('tokens');
    const started = await auth(provider, { serverUrl: MCP_URL, scope, fetchFn: recordingFetch });
    if (started !== 'REDIRECT') throw new Error(`step-up did not start an authorization: ${started}`);
    await auth(provider, { serverUrl: MCP_URL, authorizationCode: provider.code, fetchFn: recordingFetch });
    return await client.callTool(request);
  }
}

// Connects; a first connection that needs the user's authorization is completed, then a new one is opened.
async function connect(provider) {
  const open = () => {
    const client = new Client({ name: 'kinde-mcp-bridge-e2e', version: '1.0.0' });
    const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: recordingFetch });
    return { client, transport };
  };
  const first = open();
  try {
    await first.client.connect(first.transport);
    return first;
  } catch (e) {
    if (!(e instanceof UnauthorizedError)) throw e;
    await first.transport.finishAuth(provider.code);
  }
  const second = open();
  await second.client.connect(second.transport);
  return second;
}

const structured = r => r.structuredContent ?? JSON.parse(r.content?.[0]?.text ?? '{}');
const text = r => (r.content ?? []).map(c => c.text ?? '').join(' ');

async function userScenario() {
  const provider = new HeadlessBrowserProvider();
  const { client, transport } = await connect(provider);
  check(result.statuses.some(s => s.path === MCP_URL.pathname && s.status === 401
    && /resource_metadata="/.test(s.challenge ?? '')), 'challenged with 401 and resource_metadata');
  check(provider.client?.client_id?.startsWith('dcr_'), 'registered with dynamic client registration', provider.client);
  check(provider.consents === 1 && provider.requestedScope === 'mcp:read', 'consented to the default scope',
    { consents: provider.consents, scope: provider.requestedScope });
  const tools = (await client.listTools()).tools.map(t => t.name).sort();
  check(JSON.stringify(tools) === JSON.stringify(['add_note', 'list_notes', 'whoami']), 'listed the sample tools', tools);

  const me = structured(await client.callTool({ name: 'whoami', arguments: {} }));
  check(me.kind === 'user' && me.org_code === 'org_acme' && me.feature_flags?.notes_v2 === true,
    'whoami as a user of org_acme, with its Kinde feature flags', me);
  check(me.tool_api_sees?.token_issuer === process.env.KINDE_ISSUER && me.tool_api_sees?.subject === me.subject,
    'the tool API was called with the Kinde token, not the bridge token', me.tool_api_sees);
  const before = structured(await client.callTool({ name: 'list_notes', arguments: {} }));
  check(Array.isArray(before.notes), 'read the notes', before);

  const note = `written by the e2e test ${crypto.randomUUID()}`;
  const added = await callWithStepUp(provider, client, { name: 'add_note', arguments: { text: note } });
  check(result.statuses.some(s => s.status === 403 && /insufficient_scope/.test(s.challenge ?? '')
    && /scope="[^"]*mcp:write/.test(s.challenge ?? '')), '403 insufficient_scope challenge naming mcp:write');
  check(provider.consents === 2 && /mcp:write/.test(provider.requestedScope), 'stepped up to mcp:write with consent',
    { consents: provider.consents, scope: provider.requestedScope });
  check(!added.isError && structured(added).text === note, 'wrote a note after the step-up', added);
  const after = structured(await client.callTool({ name: 'list_notes', arguments: { limit: 5 } }));
  check(after.notes.some(n => n.text === note), 'the new note is listed', after);
  const invalid = await client.callTool({ name: 'list_notes', arguments: { limit: 'many' } });
  check(invalid.isError === true && /limit/.test(text(invalid)), 'a bad argument is a tool error', invalid);

  const oldTokens = provider.tokens();
  check(await auth(provider, { serverUrl: MCP_URL }) === 'AUTHORIZED', 'refreshed the tokens');
  const newTokens = provider.tokens();
  check(newTokens.access_token !== oldTokens.access_token && newTokens.refresh_token !== oldTokens.refresh_token,
    'refresh rotated the access and refresh tokens');
  check(structured(await client.callTool({ name: 'whoami', arguments: {} })).subject === me.subject,
    'called a tool with the refreshed access token');

  const metadata = await (await fetch(new URL('/.well-known/oauth-authorization-server', ISSUER))).json();
  const revoked = await fetch(metadata.revocation_endpoint, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: newTokens.refresh_token, token_type_hint: 'refresh_token', client_id: provider.client.client_id }) });
  check(revoked.status === 200, 'revoked the refresh token', revoked.status);
  const refused = await fetch(metadata.token_endpoint, { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: newTokens.refresh_token,
      client_id: provider.client.client_id, resource: MCP_URL.href }) });
  const refusal = await refused.json();
  check(refused.status === 400 && refusal.error === 'invalid_grant', 'the revoked refresh token is rejected', refusal);
  await transport.close();
}

async function permissionScenario() {
  const provider = new HeadlessBrowserProvider();
  const { client, transport } = await connect(provider);
  const tools = (await client.listTools()).tools.map(t => t.name).sort();
  check(JSON.stringify(tools) === JSON.stringify(['list_notes', 'whoami']),
    'a tool whose Kinde permission the user lacks is not listed', tools);
  const denied = await callWithStepUp(provider, client, { name: 'add_note', arguments: { text: 'not allowed' } });
  check(denied.isError === true && /write:notes/.test(text(denied)), 'a clear tool error names the missing permission',
    denied);
  check(provider.consents === 2, 'the missing scope was a step-up, the missing permission was not', provider.consents);
  await transport.close();
}

async function machineScenario() {
  const kindeToken = await fetch(new URL('/oauth2/token', required('KINDE_ISSUER')), { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: required('AGENT_ID'),
      client_secret: required('AGENT_SECRET'), audience: required('KINDE_AUDIENCE') }) }).then(r => r.json());
  check(typeof kindeToken.access_token === 'string', 'the agent got a Kinde M2M token', kindeToken);
  const direct = await fetch(new URL('/api/notes', ISSUER), { headers: { authorization: `Bearer ${kindeToken.access_token}` } });
  check(direct.status === 200, 'the agent read the tool API directly with its Kinde token', direct.status);
  const directWrite = await fetch(new URL('/api/notes', ISSUER), { method: 'POST',
    headers: { authorization: `Bearer ${kindeToken.access_token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'machines do not write' }) });
  const refusal = await directWrite.text();
  check(directWrite.status === 403 && /system actors/.test(refusal), 'a user-only route refuses the system actor',
    { status: directWrite.status, refusal });

  const provider = new ClientCredentialsProvider({ clientId: process.env.AGENT_ID, clientSecret: process.env.AGENT_SECRET,
    expectedIssuer: ISSUER });
  const client = new Client({ name: 'kinde-mcp-bridge-e2e-agent', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: provider, fetch: recordingFetch });
  await client.connect(transport);
  check(result.statuses.some(s => s.path.endsWith('/token') && s.status === 200),
    'the agent got a bridge token with its Kinde M2M credentials (client_credentials)');
  const tools = (await client.listTools()).tools.map(t => t.name).sort();
  check(JSON.stringify(tools) === JSON.stringify(['list_notes', 'whoami']), 'the agent sees the tools a machine may use',
    tools);
  const me = structured(await client.callTool({ name: 'whoami', arguments: {} }));
  check(me.kind === 'machine' && me.tool_api_sees?.kind === 'machine' && me.permissions.includes('write:notes'),
    'whoami as a system actor (add_note is hidden although it has write:notes: users only)', me);
  const notes = await client.callTool({ name: 'list_notes', arguments: {} });
  check(!notes.isError && Array.isArray(structured(notes).notes), 'the agent read the notes through MCP', notes);
  await transport.close();
}

// The task API in its own WAR, declared as tools by its OpenAPI document (no Java code in the bridge).
const tasksApi = () => required('TASKS_API');
const apiCalls = async () => (await (await fetch(`${tasksApi()}/stats`)).json()).calls;
const byName = tools => Object.fromEntries(tools.map(t => [t.name, t]));
const canon = v => Array.isArray(v) ? v.map(canon) : v && typeof v === 'object'
  ? Object.fromEntries(Object.keys(v).sort().map(k => [k, canon(v[k])])) : v;
const same = (a, b) => JSON.stringify(canon(a)) === JSON.stringify(canon(b));

async function openApiScenario() {
  const provider = new HeadlessBrowserProvider();
  const { client, transport } = await connect(provider);
  const tools = byName((await client.listTools()).tools);
  const names = Object.keys(tools).filter(n => /^(list|get|create|delete)_tasks?$/.test(n)).sort();
  check(same(names, ['create_task', 'get_task', 'list_tasks']), 'the marked operations are listed, the unmarked one is not',
    Object.keys(tools));
  const list = tools.list_tasks;
  check(same(list.inputSchema.properties.limit, { type: 'integer', default: 20, maximum: 50, minimum: 1,
    description: 'How many tasks, 1 to 50' })
    && same(list.inputSchema.properties.priority.enum, ['LOW', 'NORMAL', 'HIGH'])
    && list.annotations?.readOnlyHint === true && /List tasks/.test(list.description)
    && /read:notes/.test(list.description), 'list_tasks has its parameters, enum and read-only hint', list);
  const create = tools.create_task;
  const body = create.inputSchema.properties.body;
  check(same(create.inputSchema.required, ['body']) && same(body.required, ['title']) && body.properties.title.maxLength === 200
    && create.annotations?.readOnlyHint === false && create.outputSchema?.properties?.owner?.type === 'string',
    'create_task takes the JSON body by its schema and promises a Task', create);
  check(same(tools.get_task.inputSchema.required, ['id']) && tools.get_task.outputSchema?.type === 'object',
    'get_task takes the path parameter and promises a Task', tools.get_task);

  const created = await callWithStepUp(provider, client, { name: 'create_task',
    arguments: { body: { title: 'Ship the bridge', priority: 'HIGH' } } });
  check(result.statuses.some(s => s.status === 403 && /insufficient_scope/.test(s.challenge ?? '')
    && /mcp:write/.test(s.challenge ?? '')) && provider.consents === 2,
    'the write operation asked for a step-up to mcp:write', provider.consents);
  const task = created.structuredContent;
  check(!created.isError && task?.title === 'Ship the bridge' && task.priority === 'HIGH',
    'created a task through its OpenAPI operation', created);
  check(task.owner === required('KINDE_USER_ID') && task.org_code === 'org_acme',
    "the API received the user's Kinde token (its sub and org_code)", task);
  const listed = await client.callTool({ name: 'list_tasks', arguments: { priority: 'HIGH', limit: 5 } });
  check(!listed.isError && listed.structuredContent.tasks.some(t => t.id === task.id), 'the new task is listed', listed);
  const read = await client.callTool({ name: 'get_task', arguments: { id: task.id } });
  check(same(read.structuredContent, task), 'read the task by its id', read);

  const before = await apiCalls();
  const badCalls = [
    { name: 'create_task', arguments: { body: { title: '' } } },
    { name: 'create_task', arguments: { body: { title: 'x', priority: 'URGENT' } } },
    { name: 'list_tasks', arguments: { limit: 500 } },
    { name: 'get_task', arguments: { id: '..' } },
    { name: 'get_task', arguments: { id: '../stats' } },
  ];
  const refusals = [];
  for (const call of badCalls) refusals.push(await client.callTool(call).catch(e => ({ isError: true, thrown: e.message })));
  check(refusals.every(r => r.isError === true), 'bad arguments are tool errors', refusals);
  check(await apiCalls() === before, 'no request reached the API for the bad arguments', { before, after: await apiCalls() });
  const missing = await client.callTool({ name: 'get_task', arguments: { id: 'nope' } });
  check(missing.isError === true && /404/.test(text(missing)) && /there is no task nope/.test(text(missing)),
    "an API error names the status and the API's message", missing);
  await transport.close();
}

async function openApiPermissionScenario() {
  const provider = new HeadlessBrowserProvider();
  const { client, transport } = await connect(provider);
  const names = (await client.listTools()).tools.map(t => t.name).filter(n => /^(list|get|create|delete)_tasks?$/.test(n));
  check(same(names.sort(), ['get_task', 'list_tasks']), 'an operation whose Kinde permission the user lacks is not listed',
    names);
  const before = await apiCalls();
  const denied = await callWithStepUp(provider, client, { name: 'create_task', arguments: { body: { title: 'no' } } });
  check(denied.isError === true && /write:notes/.test(text(denied)) && await apiCalls() === before,
    'calling it is a tool error naming the permission, and nothing reaches the API', denied);
  await transport.close();
}

await run(result, {
  user: userScenario,
  openapi: openApiScenario,
  'openapi-permission': openApiPermissionScenario,
  permission: permissionScenario,
  machine: machineScenario,
});
