import type { Language } from './types.js';

// The words a bank shows its customer. They repeat the police advice from the source case: no bank
// or police officer asks anyone to move money, share a screen or read out a code.
export const MESSAGES = {
  riskyCall: {
    en: 'You are on a call with an unknown caller who asked you to move money. No bank or police officer will ever ask you to do that.',
    zh: '您正在与陌生来电者通话，对方要求您转账。银行和警察绝不会要求您这样做。',
  },
  screenSharing: {
    en: 'Your screen is being shared with a stranger. Stop sharing and hang up before you pay: no bank or police officer will ever ask you to share your screen or move money.',
    zh: '您的屏幕正在共享给陌生人。请先停止共享并挂断电话再付款：银行和警察绝不会要求您共享屏幕或转账。',
  },
  unusual: {
    en: 'This payment is unusual for you. Take a moment: if anyone told you to make it, hang up and call your bank on the number you know.',
    zh: '这笔付款与您平时的习惯不同。请先停一下：如果有人让您付款，请挂断电话，用您熟知的号码致电银行核实。',
  },
  hold: {
    en: 'This payment is held until your bank calls you back on the number it has for you. If someone on a call told you to pay a "safe account", it is a scam.',
    zh: '这笔付款已暂缓，银行将按您预留的号码回电核实。若有人在电话中让您转入"安全账户"，那是诈骗。',
  },
  block: {
    en: 'This payment was stopped: the receiving account is confirmed by police as used in fraud.',
    zh: '这笔付款已被拦截：收款账户经公安机关确认涉及诈骗。',
  },
  frozen: {
    en: 'This payment was stopped: the receiving account is frozen by police in a fraud case.',
    zh: '这笔付款已被拦截：收款账户已被公安机关在涉诈案件中紧急止付冻结。',
  },
  impersonation: {
    en: 'Someone may be impersonating {name} with a recorded face or voice. If you get a call or video asking for money, hang up and call back on the number you already know.',
    zh: '有人可能正在利用录制的面孔或声音冒充{name}。如果接到要钱的电话或视频，请挂断，并用您熟知的号码回拨核实。',
  },
} as const satisfies Record<string, Record<Language, string>>;

export function messageFor(key: keyof typeof MESSAGES, language: Language, vars: Record<string, string> = {}): string {
  return MESSAGES[key][language].replace(/\{(\w+)\}/g, (_m, k: string) => vars[k] ?? '');
}
