// A multinomial naive Bayes over an English message's normalised words and word bigrams
// (messageWords: links, e-mails, amounts and numbers folded to tokens), the classic SMS spam
// baseline. Only sms-cv.ts uses it, to ask whether a third model unlike the shipped two would help
// their blend (docs/conversation.md, "Seventh round"): it is not part of the shipped model.
import { messageWords } from '../../src/conversation/message-features.js';

function tokens(text: string): string[] {
  const w = messageWords(text);
  return [...w, ...w.slice(1).map((x, i) => `${w[i]} ${x}`)];
}

/** Trains on labelled texts; returns a scorer giving the log-odds of spam (tokens never seen are skipped). */
export function trainWordNb(rows: readonly { text: string; spam: boolean }[], alpha = 0.5): (text: string) => number {
  const counts = [new Map<string, number>(), new Map<string, number>()] as const;
  const totals = [0, 0];
  const docs = [0, 0];
  for (const r of rows) {
    const y = r.spam ? 1 : 0;
    docs[y]!++;
    for (const t of tokens(r.text)) {
      counts[y].set(t, (counts[y].get(t) ?? 0) + 1);
      totals[y]!++;
    }
  }
  const vocab = new Set([...counts[0].keys(), ...counts[1].keys()]).size;
  const prior = Math.log(docs[1]! / docs[0]!);
  const logP = (n: number, y: 0 | 1) => Math.log((n + alpha) / (totals[y]! + alpha * vocab));
  return (text) => {
    let z = prior;
    for (const t of tokens(text)) {
      const spam = counts[1].get(t) ?? 0;
      const ham = counts[0].get(t) ?? 0;
      if (spam + ham > 0) z += logP(spam, 1) - logP(ham, 0);
    }
    return z;
  };
}
