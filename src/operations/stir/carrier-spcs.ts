import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { listSigners } from '../../store/stir/signers.js';

// Which SPC each carrier signs with, from the signers configured here (stir_signers): how screening
// tells whether the carrier that attested a call is the one holding the number (signer-holder.ts).
// A small table, read whole at start-up and again whenever a node changes a signer.

export const SIGNERS_CHANGE_KIND = 'stir.signers';

interface CarrierSpcs {
  byOrg: Map<string, Set<string>>;
  listening: boolean;
}

const SPCS = areaState<CarrierSpcs>('stir.carrier-spcs', () => ({ byOrg: new Map(), listening: false }));

async function reload(ctx: AppContext): Promise<void> {
  const byOrg = new Map<string, Set<string>>();
  for (const s of await listSigners(ctx.db)) {
    let set = byOrg.get(s.orgId);
    if (!set) byOrg.set(s.orgId, (set = new Set()));
    set.add(s.spc);
  }
  ctx.area(SPCS).byOrg = byOrg;
}

/** Reads the signers and follows changes to them (the STIR runtime calls it when it loads). */
export async function loadCarrierSpcs(ctx: AppContext): Promise<void> {
  const area = ctx.area(SPCS);
  if (!area.listening) {
    area.listening = true;
    ctx.onChange(SIGNERS_CHANGE_KIND, () => reload(ctx));
  }
  await reload(ctx);
}

/** The SPCs a carrier organisation signs with here (undefined: it configured no signer). */
export function spcsOfCarrier(ctx: AppContext, orgId: string): ReadonlySet<string> | undefined {
  return ctx.area(SPCS).byOrg.get(orgId);
}
