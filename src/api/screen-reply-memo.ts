// The reply of a plain screening decision, serialised once per shared decision (issue 17, item 1).
// Most calls share their decision with every other call of the same reputation value: the same
// action, score, category, label, advice and one frozen reasons array (src/screening/decide.ts,
// src/reputation/hot-index.ts). Only the caller differs, and `decision` (routes/screening/screen.ts)
// puts it last. So the route's own serialiser renders everything before the caller once, and each
// request adds its caller: escaping the label, the advice and the reasons' texts was 3 % of a
// screening request's CPU. A reply rendered in Chinese takes the memo too (localise keeps and freezes
// the rendering of a frozen array: src/i18n/render.ts). A result that is not plain (a verified
// caller, a verification, a reasons array that is not frozen) goes to the serialiser.
import type { ScreenResult } from '../operations/screening/screen.js';

interface Head {
  readonly action: string;
  readonly score: number;
  readonly category: string | null;
  readonly label: string;
  readonly advice: string | undefined;
  /** The serialised reply up to the caller: `{"action":…,"reasons":[…]` with advice if any. */
  readonly text: string;
}

type Serialize = (d: unknown) => string;

// The serialiser's rendering of a caller and its kind, left empty, at the end of the reply.
const EMPTY_TAIL = ',"caller":"","callerKind":""}';

/** A serialiser equal to `serialize` for every ScreenResult, faster for plain shared decisions. */
export function memoisedReply(serialize: Serialize): (result: ScreenResult) => string {
  const heads = new WeakMap<readonly unknown[], Head>();
  return (result) => {
    const r = result as ScreenResult & { verifiedCaller?: unknown; verification?: unknown };
    const reasons = r.reasons as readonly unknown[];
    if (r.verifiedCaller !== undefined || r.verification !== undefined || !Object.isFrozen(reasons)) return serialize(result);
    let head = heads.get(reasons);
    if (head === undefined || head.action !== r.action || head.score !== r.score || head.category !== r.category || head.label !== r.label || head.advice !== r.advice) {
      const whole = serialize({ ...r, caller: '', callerKind: '' });
      // Defensive: a schema that ever put a field after callerKind keeps the serialiser's own output.
      if (!whole.endsWith(EMPTY_TAIL)) return serialize(result);
      head = { action: r.action, score: r.score, category: r.category, label: r.label, advice: r.advice, text: whole.slice(0, -EMPTY_TAIL.length) };
      heads.set(reasons, head);
    }
    // JSON.stringify escapes a string as fast-json-stringify does (a test checks it on arbitrary strings).
    return `${head.text},"caller":${JSON.stringify(r.caller)},"callerKind":${JSON.stringify(r.callerKind)}}`;
  };
}
