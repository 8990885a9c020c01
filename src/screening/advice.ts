import type { Action, Language } from './types.js';
import { en } from '../i18n/messages/en.js';
import { zhCN } from '../i18n/messages/zh-CN.js';
import type { AdviceKey } from '../i18n/types.js';

// The words live in the message catalogues (src/i18n/messages); a subscriber's policy language
// picks one here, and the edge renders them again for a reader who sent Accept-Language.
const ADVICE = { en: en.advice.screening, zh: zhCN.advice.screening } as const satisfies Record<Language, Readonly<Record<AdviceKey, string>>>;

export function adviceFor(key: AdviceKey, language: Language): string {
  return ADVICE[language][key];
}

export function adviceKeyForCategory(category: string | null, action: Action): AdviceKey | undefined {
  if (action === 'allow' || action === 'label') return undefined;
  if (category === 'fraud' || category === 'impersonation') return 'fraud';
  return 'nuisance';
}
