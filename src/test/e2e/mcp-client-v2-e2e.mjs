// End-to-end scenarios of kinde-mcp-bridge with the official TypeScript MCP client 2.x
// (@modelcontextprotocol/client), which negotiates the protocol era: with versionNegotiation 'auto' it probes
// with server/discover and speaks MCP 2026-07-28 (stateless: _meta in every request, no session) when the server
// answers the probe, and falls back to the 2025-11-25 initialize handshake otherwise.
// Usage: node mcp-client-v2-e2e.mjs <modern-user|modern-machine|legacy-user>
//   env: MCP_URL, BRIDGE_ISSUER, BRIDGE_TOKEN (a user's bridge access token with mcp:read, user modes),
//        AGENT_ID / AGENT_SECRET (Kinde M2M credentials, machine mode)
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { checker, required, run } from './steps.mjs';

const MODE = process.argv[2] ?? 'modern-user';
const MCP_URL = new URL(required('MCP_URL'));
const result = { mode: MODE, steps: [], exchanges: [] };
const check = checker(result);

// Every HTTP exchange of the client: its JSON-RPC method, status, challenge and session header.
const recordingFetch = async (url, init) => {
  const response = await fetch(url, init);
  let method;
  try { method = JSON.parse(typeof init?.body === 'string' ? init.body : '{}').method; } catch { method = undefined; }
  result.exchanges.push({ http: init?.method ?? 'GET', method, status: response.status,
    challenge: response.headers.get('www-authenticate') ?? undefined,
    session: response.headers.get('mcp-session-id') ?? undefined });
  return response;
};

async function open(token, negotiation) {
  const transport = new StreamableHTTPClientTransport(MCP_URL, { authProvider: { token: async () => token },
    fetch: recordingFetch });
  const client = new Client({ name: 'kinde-mcp-bridge-e2e-v2', version: '1.0.0' },
    { versionNegotiation: { mode: negotiation } });
  await client.connect(transport);
  return { client, transport };
}

const structured = r => r.structuredContent ?? JSON.parse(r.content?.[0]?.text ?? '{}');
const text = r => (r.content ?? []).map(c => c.text ?? '').join(' ');

function checkEra(client, expected) {
  if (expected === '2026-07-28') {
    check(result.exchanges[0]?.method === 'server/discover' && result.exchanges[0]?.status === 200,
      'probed with server/discover', result.exchanges[0]);
    check(!result.exchanges.some(e => e.method === 'initialize'), 'no initialize handshake');
  } else {
    check(result.exchanges.some(e => e.method === 'initialize' && e.status === 200), 'initialize handshake');
  }
  check(client.getNegotiatedProtocolVersion() === expected, `negotiated ${expected}`,
    client.getNegotiatedProtocolVersion());
}

async function userScenario(negotiation, era) {
  const { client, transport } = await open(required('BRIDGE_TOKEN'), negotiation);
  checkEra(client, era);
  const tools = (await client.listTools()).tools.map(t => t.name).sort();
  check(JSON.stringify(tools) === JSON.stringify(['add_note', 'list_notes', 'whoami']), 'listed the sample tools', tools);
  const me = structured(await client.callTool({ name: 'whoami', arguments: {} }));
  check(me.kind === 'user' && me.org_code === 'org_acme' && me.tool_api_sees?.subject === me.subject,
    'whoami as a user of org_acme, the tool API called with the Kinde token', me);
  const notes = await client.callTool({ name: 'list_notes', arguments: { limit: 3 } });
  check(!notes.isError && Array.isArray(structured(notes).notes), 'read the notes', notes);
  const invalid = await client.callTool({ name: 'list_notes', arguments: { limit: 'many' } });
  check(invalid.isError === true && /limit/.test(text(invalid)), 'a bad argument is a tool error', invalid);
  let refused;
  try {
    await client.callTool({ name: 'add_note', arguments: { text: 'needs mcp:write' } });
  } catch (e) {
    refused = e;
  }
  check(refused !== undefined && result.exchanges.some(e => e.status === 403
    && /insufficient_scope/.test(e.challenge ?? '') && /mcp:write/.test(e.challenge ?? '')),
    'a tool needing mcp:write is refused with 403 insufficient_scope', String(refused));
  check(!result.exchanges.some(e => e.session), 'no MCP session', result.exchanges.filter(e => e.session));
  await transport.close();
}

async function machineScenario() {
  const issued = await fetch(new URL('/token', required('BRIDGE_ISSUER')), { method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic ' + Buffer.from(`${required('AGENT_ID')}:${required('AGENT_SECRET')}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: MCP_URL.href }) }).then(r => r.json());
  check(typeof issued.access_token === 'string', 'the agent got a bridge token with its Kinde M2M credentials', issued);
  const { client, transport } = await open(issued.access_token, 'auto');
  checkEra(client, '2026-07-28');
  const tools = (await client.listTools()).tools.map(t => t.name).sort();
  check(JSON.stringify(tools) === JSON.stringify(['list_notes', 'whoami']), 'the agent sees the tools a machine may use',
    tools);
  const me = structured(await client.callTool({ name: 'whoami', arguments: {} }));
  check(me.kind === 'machine' && me.tool_api_sees?.kind === 'machine', 'whoami as a system actor', me);
  await transport.close();
}

await run(result, {
  'modern-user': () => userScenario('auto', '2026-07-28'),
  'legacy-user': () => userScenario('legacy', '2025-11-25'),
  'modern-machine': machineScenario,
});
