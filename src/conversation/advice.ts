import type { Lang, StageId } from './types.js';
import { en } from '../i18n/messages/en.js';
import { zhCN } from '../i18n/messages/zh-CN.js';

// What a phone shows the callee at once, per stage. Wording follows the police advice in the source
// case: do not share your screen, do not disclose codes or account details, do not transfer. The
// words live in the message catalogues (src/i18n/messages).
const ADVICE: Record<Lang, Readonly<Record<StageId, string>>> = { en: en.advice.stage, zh: zhCN.advice.stage };

export function adviseStage(stage: StageId, lang: Lang): string {
  return ADVICE[lang][stage];
}
