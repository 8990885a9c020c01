import type { Lang, StageId } from './types.js';

// What a phone shows the callee at once, per stage. Wording follows the police advice in the source
// case: do not share your screen, do not disclose codes or account details, do not transfer.
const ADVICE: Record<StageId, Record<Lang, string>> = {
  impersonation: {
    en: 'The caller claims to be from a bank, platform, authority or family. Hang up and call back on the official number you already know.',
    zh: '对方自称银行、平台、公检法或亲友。请挂断电话，用您自己知道的官方号码回拨核实。',
  },
  pretext: {
    en: 'Threats about your account, credit record, a loan, a parcel or a legal case are a classic scam opening. Do not act on this call; check through the official app or number.',
    zh: '以账户异常、征信受损、贷款合同、包裹问题或涉案为由是诈骗常见开场。不要按对方说的做，请通过官方App或电话自行核实。',
  },
  isolation: {
    en: 'Being told to keep this secret or stay on the line is a warning sign. Hang up and talk to someone you trust.',
    zh: '对方要求保密或不要挂电话，这是危险信号。请挂断电话，先和家人或信任的人商量。',
  },
  'remote-access': {
    en: 'Never download a meeting or remote-control app or share your screen at a caller\'s request. Banks and police never ask for this. Hang up now.',
    zh: '不要按对方要求下载会议或远程控制软件，不要共享屏幕。银行和警察绝不会这样要求。请立即挂断。',
  },
  'credential-request': {
    en: 'Never read out a verification code, password, PIN, card number or CVV. No real bank or authority asks for them on a call. Hang up.',
    zh: '不要说出验证码、密码、银行卡号或安全码。正规银行和机关绝不会在电话里索要。请挂断电话。',
  },
  'money-movement': {
    en: 'Banks and police never ask you to move money to a "safe account", buy gift cards or send crypto. Do not transfer. Hang up and call the number on your card.',
    zh: '银行和警察绝不会要求您把钱转到“安全账户”、购买礼品卡或虚拟货币。不要转账。请挂断，拨打银行卡背面的官方电话；已转账请立即拨打110。',
  },
  urgency: {
    en: 'Pressure to act right now is how scammers stop you from checking. Take your time: hang up and verify.',
    zh: '催促您马上行动是骗子阻止您核实的手段。不要着急，先挂断电话核实。',
  },
};

export function adviseStage(stage: StageId, lang: Lang): string {
  return ADVICE[stage][lang];
}
