import type { Action, Language } from './types.js';

type AdviceKey = 'video-stranger' | 'fraud' | 'nuisance' | 'withheld' | 'spoofed';

const ADVICE: Readonly<Record<AdviceKey, Record<Language, string>>> = {
  'video-stranger': {
    en: 'A stranger is video-calling you. Never share your screen, install an app or read out a code to someone you do not know. Banks and police never ask you to.',
    zh: '陌生人正在向您发起视频通话。切勿向陌生人共享屏幕、下载软件或透露验证码。银行和警方从不会这样要求。',
  },
  fraud: {
    en: 'This caller is reported for fraud. Do not share codes, passwords or your screen, and never move money to a "safe account". Hang up and call the number on your card.',
    zh: '该来电被举报为诈骗。不要透露验证码或密码，不要共享屏幕，绝不向所谓"安全账户"转账。请挂断后拨打银行卡背面的官方电话核实。',
  },
  nuisance: {
    en: 'This caller is reported for unwanted calls. You can hang up and report it.',
    zh: '该号码被举报为骚扰电话，您可以挂断并举报。',
  },
  withheld: {
    en: 'The caller has hidden their number. Be careful with anyone who will not say who they are.',
    zh: '来电隐藏了号码，请谨慎对待不愿表明身份的来电。',
  },
  spoofed: {
    en: 'The caller ID could not be verified and may be faked. Do not trust the name or number shown.',
    zh: '来电号码未通过验证，可能是伪造号码，请勿轻信显示的名称或号码。',
  },
};

export function adviceFor(key: AdviceKey, language: Language): string {
  return ADVICE[key][language];
}

export function adviceKeyForCategory(category: string | null, action: Action): AdviceKey | undefined {
  if (action === 'allow' || action === 'label') return undefined;
  if (category === 'fraud' || category === 'impersonation') return 'fraud';
  return 'nuisance';
}
