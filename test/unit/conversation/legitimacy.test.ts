// Issue 15: a legitimacy signal for verified-business context, the English live-call gate for a
// claim plus a threat, and the message-language routing. The calls of legitimacy-dev.jsonl were
// written for choosing these settings (a dev set, not the evaluation set: see docs/conversation.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCallSession, evaluateConversations, feedUtterance, loadModel, parseConversations, scoreMessage } from '../../../src/conversation/index.js';
import { blankLegitimacyCues } from '../../../src/conversation/match-stages.js';
import { detectMessageLang, countScripts, normaliseText } from '../../../src/conversation/normalise-text.js';
import type { Utterance } from '../../../src/conversation/index.js';

const model = loadModel();
const DEV = fileURLToPath(new URL('../../fixtures/conversation/legitimacy-dev.jsonl', import.meta.url));

function maxRisk(turns: Utterance[]): { risk: number; alerted: boolean } {
  const session = createCallSession();
  let risk = 0;
  let alerted = false;
  for (const u of turns) {
    const r = feedUtterance(model, session, u);
    risk = Math.max(risk, r.risk);
    if (r.alerts.length > 0) alerted = true;
  }
  return { risk, alerted };
}

test('legitimacy dev set: honest verified-business calls pass, scammers reciting the same words alert by their request', () => {
  const report = evaluateConversations(model, parseConversations(readFileSync(DEV, 'utf8')));
  for (const it of report.items) {
    if (it.label === 'scam') assert.ok(it.firstAlertTurn !== null && (it.requestTurn === null || it.firstAlertTurn <= it.requestTurn), `${it.id} should alert by its request (alert ${it.firstAlertTurn}, request ${it.requestTurn})`);
    else assert.equal(it.predicted, 'legit', `${it.id} is honest (risk ${it.risk})`);
  }
  assert.deepEqual(Object.keys(report.byLang).sort(), ['en', 'zh']);
});

test('a legitimacy cue is blanked before the stage rules: the number on the back of the card is not a request for it', () => {
  const langs = { zh: false, en: true };
  const text = normaliseText('If in doubt, hang up and call the number on the back of your card.');
  const blanked = blankLegitimacyCues(text, langs);
  assert.notEqual(blanked, null);
  assert.equal(blanked?.length, text.length);
  assert.equal(blanked?.includes('back of your card'), false);
  assert.equal(blankLegitimacyCues(normaliseText('Read me the number on the back of your card.'), langs), null);
  assert.notEqual(blankLegitimacyCues(normaliseText('可以在官方App里缴纳，也可以货到付款。'), { zh: true, en: false }), null);
});

test('attack: the cue first, then the code, the screen or the money, still alerts', () => {
  const en = maxRisk([
    { speaker: 'caller', text: 'Hello, this is your bank calling about your card.' },
    { speaker: 'caller', text: 'We will never ask for your PIN, you can call the number on the back of your card.' },
    { speaker: 'caller', text: 'Now, to stop the payment, read me the six digit code we just sent you.' },
  ]);
  assert.equal(en.alerted, true, `risk ${en.risk}`);
  const zh = maxRisk([
    { speaker: 'caller', text: '您好，我是银行客服，您的账户有风险。' },
    { speaker: 'caller', text: '您可以拨打卡背面的官方客服电话核实，我们不会索要密码。' },
    { speaker: 'caller', text: '现在请把您收到的验证码告诉我。' },
  ]);
  assert.equal(zh.alerted, true, `risk ${zh.risk}`);
});

test('the cue counts only from the caller: a victim saying it proves nothing about the caller', () => {
  const opening: Utterance = { speaker: 'caller', text: '您好，我是邮政EMS的，您有一个国际包裹需要缴纳进口税四十元。' };
  const byCaller = maxRisk([{ ...opening, text: opening.text + '可以在邮政官方App里缴，也可以货到付款。' }]);
  const byCallee = maxRisk([opening, { speaker: 'callee', text: '我可以在邮政官方App里缴，也可以货到付款吗？' }]);
  assert.ok(byCaller.risk < byCallee.risk, `caller cue ${byCaller.risk} should weigh, callee cue ${byCallee.risk} should not`);
});

test('English live call: a claim and a threat alone do not alert; a request after them, or a recorded monologue, does', () => {
  const opening: Utterance = { speaker: 'caller', text: 'Hi, this is Mark from the fraud prevention team at Lakeshore Credit Union, calling about an unusual purchase on your card.' };
  assert.equal(maxRisk([opening]).alerted, false);
  assert.equal(maxRisk([opening, { speaker: 'callee', text: 'Okay?' }, { speaker: 'caller', text: 'To cancel it, read me the code we just texted you.' }]).alerted, true);
  assert.equal(maxRisk([opening, { speaker: 'caller', text: 'Press 1 now to speak to an agent about this charge.' }]).alerted, true);
});

test('a message with a Han character or CJK punctuation is read by the Chinese message model', () => {
  const lang = (t: string) => detectMessageLang(normaliseText(t), countScripts(normaliseText(t)));
  assert.equal(lang('「AmazonAurora」'), 'zh');
  assert.equal(lang('给大家分享 http://example.com/abcdefabcdef'), 'zh');
  assert.equal(lang('WINNER!! Claim your prize, call 09061701461'), 'en');
  assert.equal(scoreMessage(model, '「AmazonAurora」').label, 'legit');
});

// Single messages (since issue 15's fifth round): a one-time-code text or a card alert that sends
// the reader to the card's own number is the business's notice; the same words followed by a
// request for the code are a scam text. Hand-written here, never in any training or test split.
test('a message with a legitimacy cue and no request passes: one-time-code texts in English and Chinese', () => {
  for (const text of [
    'Your verification code is 482913. Do not share this code with anyone. We will never ask for it.',
    '【工商银行】您的验证码为482913，您正在进行网上支付，请勿泄露给他人。',
  ]) {
    const r = scoreMessage(model, text);
    assert.equal(r.label, 'legit', `${text} (risk ${r.risk})`);
    assert.equal(r.stages.includes('isolation'), false, 'the cue "do not share it with anyone" is not a demand for secrecy');
  }
});

test('attack: a message that recites the cue and then asks for the code, the card or a link still alerts', () => {
  for (const text of [
    'Your bank will never ask for your PIN. To keep your account open, reply with the code we just sent you.',
    'We will never ask for your password. Your account is suspended: verify now at http://secure-bank-verify.com and enter your card number.',
    '验证码请勿泄露给他人。为确认您的身份，请立即回复收到的验证码给本客服。',
  ]) {
    const r = scoreMessage(model, text);
    assert.equal(r.label, 'scam', `${text} (risk ${r.risk})`);
  }
});

test('the message cue lowers the risk of the message itself, not only its rules', () => {
  const text = 'Your verification code is 482913. Do not share this code with anyone.';
  const withCue = scoreMessage(model, text).risk;
  const noCue = scoreMessage(model, 'Your verification code is 482913. Keep this code.').risk;
  assert.ok(withCue < noCue, `${withCue} < ${noCue}`);
});
