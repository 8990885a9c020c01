// Callers whose tallies are built at the same moment read their evidence together. A report on a
// number nobody reported before builds that number's tally from the store (operations/reputation/
// tally.ts): eight statements, one per kind of evidence. When many new numbers are reported at
// once (a campaign rotating through thousands, a carrier's complaints feed) that was eight
// statements a report, and on PostgreSQL eight round trips; here one loadEvidence covers every
// caller waiting: eight statements a batch on SQLite, one on PostgreSQL (BENCHMARKS.md, "Eighth
// session" and "Ninth session", each report a new caller). Each caller is asked for only after its
// own report committed, so the read sees it.
import { areaState } from '../../app-context.js';
import type { AppContext } from '../../app-context.js';
import { loadEvidence } from '../../store/reputation/evidence.js';
import type { EvidenceBundle } from '../../store/reputation/evidence.js';

/** Callers in one read: each statement's list parameter (store/prepared-query.ts) stays bounded. */
const MAX_CALLERS = 256;

interface Waiting {
  caller: string;
  resolve: (bundle: EvidenceBundle | undefined) => void;
  reject: (err: unknown) => void;
}

interface Loader {
  waiting: Waiting[];
  scheduled: boolean;
  /** One read at a time: callers asked for meanwhile go together in the next. */
  reading: boolean;
  reads: number;
  callers: number;
}

const LOADER = areaState<Loader>('reputation.evidence-loader', () => ({ waiting: [], scheduled: false, reading: false, reads: 0, callers: 0 }));

/** Reads made so far and the callers they covered (how well the batching works). */
export function evidenceLoaderCounts(ctx: AppContext): { reads: number; callers: number } {
  const { reads, callers } = ctx.area(LOADER);
  return { reads, callers };
}

/** The caller's evidence as loadEvidence gives it, read with the other callers asked for now. */
export function evidenceOf(ctx: AppContext, caller: string): Promise<EvidenceBundle | undefined> {
  const loader = ctx.area(LOADER);
  return new Promise((resolve, reject) => {
    loader.waiting.push({ caller, resolve, reject });
    if (loader.scheduled || loader.reading) return;
    // After the poll phase, as the write batches do (operations/write-batch.ts): the callers of
    // the requests read in the same poll go together, at no added wait.
    loader.scheduled = true;
    setImmediate(() => {
      loader.scheduled = false;
      void read(ctx, loader);
    });
  });
}

async function read(ctx: AppContext, loader: Loader): Promise<void> {
  loader.reading = true;
  try {
    while (loader.waiting.length) {
      const batch = loader.waiting.splice(0, MAX_CALLERS);
      const callers = [...new Set(batch.map((w) => w.caller))];
      loader.reads++;
      loader.callers += callers.length;
      try {
        const found = await loadEvidence(ctx.db, callers);
        for (const w of batch) w.resolve(found.get(w.caller));
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
  } finally {
    loader.reading = false;
  }
}
