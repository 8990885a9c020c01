import { createHash } from 'node:crypto';
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { REASON_TEXT } from '../../stir/index.js';
import type { VerificationResult } from '../../stir/index.js';
import { ReplayGuard } from '../../stir/replay-guard.js';

// Replayed PASSporTs (docs/stir-shaken.md "Replays"): each node keeps a ReplayGuard; the tokens it
// accepts are shared with the other nodes through the change log, packed many to a row and sent
// every SHARE_DELAY_MS, so another node learns of a token within a second or so (PostgreSQL
// NOTIFY; SQLite nodes poll every second). A replay that reaches a second node sooner is missed.

export const REPLAY_CHANGE_KIND = 'stir.tokens';
const SHARE_DELAY_MS = 200;
const PER_ROW = 200;

interface ReplayArea {
  guard: ReplayGuard;
  pending: string[];
  timer: NodeJS.Timeout | undefined;
  listening: boolean;
}

const REPLAY = areaState<ReplayArea>('stir.replay', () => ({ guard: new ReplayGuard(), pending: [], timer: undefined, listening: false }));

/** The token's identity: the start of its signature (ECDSA's random r, unique per token). */
function tokenKey(jws: string): string | undefined {
  const sig = jws.slice(jws.lastIndexOf('.') + 1);
  return sig.length >= 32 ? sig.slice(0, 32) : undefined;
}

function callKey(callId: string): string {
  return createHash('sha256').update(callId).digest('base64url').slice(0, 16);
}

/** Starts taking the other nodes' sightings from the change log (once per context). */
export function listenForReplays(ctx: AppContext): void {
  const area = ctx.area(REPLAY);
  if (area.listening) return;
  area.listening = true;
  ctx.onChange(REPLAY_CHANGE_KIND, async (rows) => {
    const now = ctx.now();
    for (const row of rows) {
      for (const entry of row.split(' ')) {
        const [token, call, expires] = entry.split(',');
        if (token && call && expires) area.guard.remember(token, call, Number(expires) * 1000, now);
      }
    }
  });
}

function share(ctx: AppContext, area: ReplayArea, entry: string): void {
  area.pending.push(entry);
  if (area.timer !== undefined) return;
  area.timer = setTimeout(() => {
    area.timer = undefined;
    const entries = area.pending.splice(0);
    const rows: string[] = [];
    for (let i = 0; i < entries.length; i += PER_ROW) rows.push(entries.slice(i, i + PER_ROW).join(' '));
    void ctx.publish(REPLAY_CHANGE_KIND, rows);
  }, SHARE_DELAY_MS);
  area.timer.unref();
}

/**
 * For a token that passed on a call with a known Call-ID: records it, and turns the result into a
 * failure (403, STIR_REPLAYED) when the same token already came on another call while fresh.
 */
export function checkReplay(ctx: AppContext, result: VerificationResult, jws: string | undefined, callId: string | undefined, maxAgeSeconds: number): VerificationResult {
  if (result.verstat !== 'TN-Validation-Passed' || jws === undefined || callId === undefined || callId === '' || result.iat === undefined) return result;
  const token = tokenKey(jws);
  if (token === undefined) return result;
  listenForReplays(ctx);
  const area = ctx.area(REPLAY);
  const call = callKey(callId);
  const expiresSec = result.iat + maxAgeSeconds;
  const now = ctx.now();
  const sighting = area.guard.see(token, call, expiresSec * 1000, now);
  if (sighting === 'first') share(ctx, area, `${token},${call},${expiresSec}`);
  if (sighting !== 'replayed') return result;
  const replayed: VerificationResult = {
    ...result,
    verstat: 'TN-Validation-Failed',
    reasonCode: 403,
    reasonText: REASON_TEXT[403],
    reasonDesc: 'The PASSporT was already used on another call (a replay)',
    failure: 'STIR_REPLAYED',
  };
  if (result.trace !== undefined) replayed.trace = { ...result.trace, verstat: 'TN-Validation-Failed' };
  return replayed;
}

/** Tokens this node remembers now (for tests and metrics). */
export function replayGuardSize(ctx: AppContext): number {
  return ctx.area(REPLAY).guard.size;
}
