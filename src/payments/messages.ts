import type { Language } from './types.js';
import { en } from '../i18n/messages/en.js';
import { zhCN } from '../i18n/messages/zh-CN.js';
import type { CustomerMessageKey } from '../i18n/types.js';

// The words a bank shows its customer. They repeat the police advice from the source case: no bank
// or police officer asks anyone to move money, share a screen or read out a code. The words live in
// the message catalogues (src/i18n/messages).
export const MESSAGES = Object.fromEntries(
  (Object.keys(en.advice.customer) as CustomerMessageKey[]).map((k) => [k, { en: en.advice.customer[k], zh: zhCN.advice.customer[k] }]),
) as Readonly<Record<CustomerMessageKey, Readonly<Record<Language, string>>>>;

export function messageFor(key: CustomerMessageKey, language: Language, vars: Record<string, string> = {}): string {
  return MESSAGES[key][language].replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');
}
