// Whole-message cues for a stand-alone Chinese text, the counterpart of message-features.ts (which
// is for English). A commercial or fraud text packs an offer, a way to act and a sender into one
// message: links, phone numbers and short codes (1069…, 95xxx), contact words (详询, 热线, 加微信),
// an opt-out (回T退订, 拒收请回复R), a 【signature】, prices (199元, ¥39), discounts (8折, 满300减50,
// 特价), gifts (免费, 送, 红包), pressure (名额有限, 先到先得), exclamation marks and characters
// spaced out to slip past filters (尊-敬-的-用-户). Ordinary text (news, posts, chats) rarely has
// more than one of these. Counts are thermometer-coded like the English cues. Used in message mode
// only, in training and in scoring.
import { hashToken } from './message-features.js';

export interface ZhMessageFeatureOptions {
  /** Copies of the length bucket. */
  lenCopies: number;
  /** Copies of each cue group's thermometer. */
  cueCopies: number;
}

export const ZH_MESSAGE_FEATURE_OPTIONS: ZhMessageFeatureOptions = { lenCopies: 2, cueCopies: 1 };

/**
 * Feature value of one cue token. Unlike n-grams (count / sqrt(total)), cues keep this value
 * whatever the message's length, so an opt-out or a phone number weighs the same in a short text
 * and in a long one. The same value in training (train-model.ts) and scoring (stream-session.ts).
 */
export const ZH_CUE_VALUE = 1;

const HAN = /\p{Script=Han}/u;

/**
 * Many Chinese SMS sources mask every digit as "x" ("晚间xxx点", "电话xxxxxxxxxxx"). A run of three
 * or more x, or a shorter run not glued to a word ("x.x折", "xG手机", but not "xbox"), is read back
 * as digits, so masked and unmasked messages give the same n-grams and cues. Only for text with
 * Chinese characters: in English "xxx" is a sign-off.
 */
export function unmaskDigits(raw: string): string {
  if (!HAN.test(raw)) return raw;
  return raw
    .replace(/[xX]{3,}/g, (m) => '0'.repeat(m.length))
    .replace(/(?<![A-Za-z])[xX]{1,2}(?![a-z])/g, (m) => '0'.repeat(m.length));
}

interface Cue {
  name: string;
  re: RegExp;
  max: number;
}

// Written against NFKC-folded, lower-cased text with digits unmasked.
const CUES: Cue[] = [
  { name: 'url', re: /(https?:\/\/|www\.|\b[a-z0-9-]{1,40}\.(com|cn|net|cc|org|top|xyz|vip|me|co|io|tk|info|hk)\b)/g, max: 2 },
  // 11-digit mobiles, area code + number, 400/800 numbers, 7–8-digit local numbers.
  { name: 'phone', re: /(?<!\d)(\d{11}|\d{3,4}-\d{7,8}|[48]00-?\d{3}-?\d{4}|\d{7,8})(?!\d)/g, max: 2 },
  { name: 'short', re: /(?<!\d)(106\d{5,}|95\d{3}|1\d{4})(?!\d)/g, max: 1 },
  {
    name: 'contact',
    re: /(电话|热线|致电|来电|联系|咨询|详询|垂询|预约|预订|订购|订餐|订座|报名|微信|加q|qq|vx|威信|同号|客服|专线|地址|门店|到店|进店|光临)/g,
    max: 3,
  },
  { name: 'optout', re: /(退订|拒收|回复?\s?(td|t|n|r)(?![a-z])|回t)/g, max: 1 },
  { name: 'sign', re: /(^\s*【[^】]{1,20}】|【[^】]{1,20}】\s*$)/g, max: 1 },
  { name: 'price', re: /(\d+(\.\d+)?\s?(元|块|万元|万)|[¥$]\s?\d|元\/|元起|\d+\s?起)/g, max: 3 },
  {
    name: 'discount',
    re: /(\d(\.\d)?\s?折|打折|折扣|立减|满\d+减|直降|优惠|特价|特惠|促销|钜惠|巨惠|让利|半价|免单|买\S{0,2}送|包邮|清仓|甩卖|大酬宾|低至|团购)/g,
    max: 3,
  },
  { name: 'gift', re: /(免费|赠送|送礼|礼品|礼包|大礼|红包|领取|抽奖|积分|彩金|返利|返现|奖励)/g, max: 2 },
  { name: 'push', re: /(名额有限|数量有限|先到先得|限时|仅限|抢购|速抢|赶快|赶紧|售完即止|送完为止|领完即止|机不可失|错过|火爆|火热)/g, max: 2 },
  { name: 'greet', re: /^[^,。!?]{0,6}?(尊敬的|亲爱的|尊贵的|老板|各位|亲[,!])/g, max: 1 },
  { name: 'bang', re: /!/g, max: 3 },
  { name: 'runs', re: /\d{3,}/g, max: 3 },
  // A bank card number (16–19 digits, grouped or not): "pay into this card" is a classic fraud text.
  { name: 'card', re: /(?<!\d)(\d{4}[ -]?){3}\d{4}([ -]?\d{1,3})?(?!\d)/g, max: 1 },
  // "尊-敬-的-用-户", "会 从 在 线": characters spaced out to dodge keyword filters.
  { name: 'spaced', re: /(\p{Script=Han}[\s\-_.*#~^·]){4,}/gu, max: 1 },
];

const CARD = /(?<!\d)(\d{4}[ -]?){3}\d{4}([ -]?\d{1,3})?(?!\d)/;
const BANK = /(户名|帐号|账号|卡号|收款人|开户行|工行|农行|建行|中行|招行|交行|邮政|邮储|信用社|银行)/;

function thermo(out: number[], name: string, count: number, max: number, copies: number, mask: number): void {
  for (let k = 0; k < Math.min(count, max); k++) for (let c = 0; c < copies; c++) out.push(hashToken(`\u0000zh:${name}:${k}`, mask));
}

/** The cue tokens of one Chinese message, as hashed indices (raw text: before normalisation). */
export function collectZhMessageFeatures(raw: string, mask: number, o: ZhMessageFeatureOptions = ZH_MESSAGE_FEATURE_OPTIONS): number[] {
  const text = unmaskDigits(raw).normalize('NFKC').toLowerCase();
  const out: number[] = [];
  const len = text.replace(/\s+/g, '').length;
  const bucket = len < 8 ? 0 : len < 16 ? 1 : len < 30 ? 2 : len < 50 ? 3 : len < 80 ? 4 : 5;
  for (let k = 0; k < o.lenCopies; k++) out.push(hashToken(`\u0000zh:len:${bucket}`, mask));
  for (const cue of CUES) thermo(out, cue.name, text.match(cue.re)?.length ?? 0, cue.max, o.cueCopies, mask);
  // A card number next to a bank or an account holder: where to send the money.
  if (CARD.test(text) && BANK.test(text)) thermo(out, 'cardbank', 1, 1, o.cueCopies, mask);
  return out;
}

/** Which cue groups fire on a message, by name, for tests and explanations. */
export function zhMessageCues(raw: string): Record<string, number> {
  const text = unmaskDigits(raw).normalize('NFKC').toLowerCase();
  const out: Record<string, number> = {};
  for (const cue of CUES) {
    const n = text.match(cue.re)?.length ?? 0;
    if (n > 0) out[cue.name] = n;
  }
  return out;
}

/** Every index a cue token can take (length buckets and each cue's thermometer steps). */
export function zhCueIndices(mask: number): Set<number> {
  const out = new Set<number>();
  for (let b = 0; b < 6; b++) out.add(hashToken(`\u0000zh:len:${b}`, mask));
  for (const cue of CUES) for (let k = 0; k < cue.max; k++) out.add(hashToken(`\u0000zh:${cue.name}:${k}`, mask));
  out.add(hashToken('\u0000zh:cardbank:0', mask));
  return out;
}
