// A phone-style flow with @callshield/client: sync the block list (verified against the signed
// manifest), look an incoming number up privately, and report it after the call.
//
//   CALLSHIELD_URL=http://localhost:8080 CALLSHIELD_KEY=<an app key> node --import tsx examples/phone-flow.ts +8613800138000
import { createClient } from '../packages/client/src/index.js';
import type { BlocklistState } from '../packages/client/src/index.js';

const baseUrl = process.env.CALLSHIELD_URL ?? 'http://localhost:8080';
const key = process.env.CALLSHIELD_KEY;
if (!key) {
  console.error('set CALLSHIELD_KEY to an app key (npx callshield keys create --org "My app" --role app)');
  process.exit(2);
}
const incoming = process.argv[2] ?? '+8613800138000';
const client = createClient({ baseUrl, key });

// 1. Once a day, or when the app wakes: bring the offline list up to date. The verifier key would
//    ship inside the app; fetched here to keep the example self-contained.
const { publicKey } = (await (await fetch(`${baseUrl}/v1/blocklist/signing-key`)).json()) as { publicKey: string };
let blocklist: BlocklistState | undefined; // a real app keeps this in its storage
const synced = await client.syncBlocklist(blocklist, { verifyKey: publicKey });
blocklist = synced;
console.log(`block list version ${synced.version}: ${synced.entries.size} numbers (+${synced.added} -${synced.removed}), signature and digest verified`);

// 2. A call comes in: the offline list first, then a private look-up (only 5 hex characters of the
//    number's SHA-256 leave the phone).
if (blocklist.entries.has(incoming)) {
  console.log(`${incoming}: on the block list (${blocklist.entries.get(incoming)!.label}): reject without ringing`);
} else {
  const found = await client.lookupPrivately(incoming);
  console.log(found ? `${incoming}: ${found.action}, "${found.label}" (score ${found.score})` : `${incoming}: nothing known against this caller`);
}

// 3. After the call the subscriber says it was a scam.
const receipt = await client.report({ caller: incoming, reporter: 'subscriber-ref-1', category: 'fraud', channel: 'pstn' });
console.log('reported:', JSON.stringify(receipt));
