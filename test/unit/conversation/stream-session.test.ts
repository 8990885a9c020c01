import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALERT_THRESHOLD, createCallSession, endCall, feedUtterance, loadModel, scoreMessage, summariseCall } from '../../../src/conversation/index.js';
import type { Alert, Severity, Utterance } from '../../../src/conversation/index.js';
import { CallshieldError } from '../../../src/errors.js';

const model = loadModel();
const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function replay(turns: Utterance[], lang?: 'zh' | 'en') {
  const session = createCallSession(lang ? { lang } : {});
  const results = turns.map((u) => feedUtterance(model, session, u));
  return { session, results, alerts: results.flatMap((r) => r.alerts) };
}

// The source case (seed-notes.md, case 1), as the caller's script runs.
const sourceCaseZh: Utterance[] = [
  { speaker: 'caller', text: '您好，我是某借贷平台的客服，您之前在我们平台签了一份电子贷款协议。' },
  { speaker: 'callee', text: '我没有签过啊。' },
  { speaker: 'caller', text: '这个协议不取消的话，会影响您的个人征信记录。' },
  { speaker: 'callee', text: '那怎么取消？' },
  { speaker: 'caller', text: '您先下载一个Zoom会议软件，然后共享屏幕，我一步步指导您注销账户。' },
  { speaker: 'callee', text: '好的，已经下载了。' },
  { speaker: 'caller', text: '现在给您一个银保监会认证的安全账户，资金转过去核实后原路退回。' },
  { speaker: 'caller', text: '请输入您收到的六位验证码。' },
  { speaker: 'callee', text: '好的。' },
];

const sourceCaseEn: Utterance[] = [
  { speaker: 'caller', text: "Hello, I'm calling from the loan platform's customer service. You signed an electronic loan agreement with our app." },
  { speaker: 'callee', text: "I don't remember that." },
  { speaker: 'caller', text: 'If it is not cancelled it will damage your credit record.' },
  { speaker: 'callee', text: 'How do I cancel it?' },
  { speaker: 'caller', text: 'Please download the Zoom meeting app and share your screen so I can guide you to cancel the account.' },
  { speaker: 'callee', text: 'Okay, it is installed.' },
  { speaker: 'caller', text: 'Now I will give you a CBRC certified safe account. Transfer the money there and it will be returned.' },
  { speaker: 'caller', text: 'Please type in the six-digit verification code you receive.' },
  { speaker: 'callee', text: 'Okay.' },
];

for (const [name, turns, lang] of [['Chinese', sourceCaseZh, 'zh'], ['English', sourceCaseEn, 'en']] as const) {
  test(`source case in ${name}: remote-access and money-movement alerts before the end`, () => {
    const { alerts, session } = replay(turns);
    const remote = alerts.find((a) => a.stage === 'remote-access');
    const money = alerts.find((a) => a.stage === 'money-movement');
    assert.ok(remote, 'remote-access alert');
    assert.ok(money, 'money-movement alert');
    assert.ok(remote.turn <= 4 && money.turn <= 6, `alerted at ${remote.turn} and ${money.turn}`);
    assert.equal(remote.severity, 'critical');
    assert.equal(remote.lang, lang);
    assert.ok(remote.evidence.length > 0);
    const summary = summariseCall(session);
    assert.equal(summary.label, 'scam');
    assert.ok(summary.maxRisk >= ALERT_THRESHOLD);
    assert.deepEqual(summary.stages.slice(0, 2), ['impersonation', 'pretext']);
  });

  test(`source case in ${name}: each stage alerts once and severity never falls`, () => {
    const { alerts } = replay(turns);
    const stages = alerts.map((a: Alert) => a.stage);
    assert.equal(new Set(stages).size, stages.length, stages.join(','));
    for (let i = 1; i < alerts.length; i++) {
      assert.ok(RANK[(alerts[i] as Alert).severity] >= RANK[(alerts[i - 1] as Alert).severity], 'severity monotonic');
    }
  });
}

test('advice follows the language of the triggering utterance in a mixed call', () => {
  const { alerts } = replay([
    { speaker: 'caller', text: 'Hello, this is the Bank of China security department, your account has suspicious activity.' },
    { speaker: 'caller', text: '请您下载向日葵远程软件，共享屏幕。' },
  ]);
  const remote = alerts.find((a) => a.stage === 'remote-access');
  assert.equal(remote?.lang, 'zh');
  assert.match(remote?.advice ?? '', /屏幕/);
});

test('a session language chosen up front wins for advice', () => {
  const { alerts } = replay(sourceCaseEn, 'zh');
  assert.ok(alerts.length > 0 && alerts.every((a) => a.lang === 'zh'));
});

test('an ordinary customer-service exchange raises no alert', () => {
  const { alerts, session } = replay([
    { speaker: 'caller', text: 'Thank you for calling ShopMart, how can I help you?' },
    { speaker: 'callee', text: 'My order has not arrived yet.' },
    { speaker: 'caller', text: 'Can I have your order number and the e-mail on the order?' },
    { speaker: 'callee', text: 'It is 40211783, john@example.com. My card number is 4111 1111 1111 1111.' },
    { speaker: 'caller', text: 'Thanks, it ships tomorrow. Can you confirm the delivery address?' },
    { speaker: 'callee', text: '12 Oak Street, Springfield.' },
  ]);
  assert.equal(alerts.length, 0);
  assert.ok(session.maxRisk < ALERT_THRESHOLD);
});

test('enormous utterances are capped and say so', () => {
  const session = createCallSession({ maxUtteranceChars: 100 });
  const r = feedUtterance(model, session, { speaker: 'caller', text: 'hello '.repeat(1000) });
  assert.equal(r.truncated, true);
  const r2 = feedUtterance(model, session, { speaker: 'caller', text: 'short' });
  assert.equal(r2.truncated, false);
  assert.equal(r2.turn, 1);
});

test('the default cap is 2,000 characters', () => {
  const r = feedUtterance(model, createCallSession(), { speaker: 'caller', text: 'a'.repeat(2001) });
  assert.equal(r.truncated, true);
});

test('empty or whitespace-only text is rejected with field text', () => {
  for (const text of ['', '   \n\t']) {
    assert.throws(
      () => feedUtterance(model, createCallSession(), { speaker: 'caller', text }),
      (e: unknown) => e instanceof CallshieldError && e.code === 'CONVERSATION_INVALID_UTTERANCE' && e.field === 'text',
    );
  }
});

test('an unknown speaker is rejected with field speaker', () => {
  assert.throws(
    () => feedUtterance(model, createCallSession(), { speaker: 'agent' as never, text: 'hi' }),
    (e: unknown) => e instanceof CallshieldError && e.code === 'CONVERSATION_INVALID_UTTERANCE' && e.field === 'speaker',
  );
});

test('lone surrogates (broken UTF-8 upstream) do not crash the detector', () => {
  const r = feedUtterance(model, createCallSession(), { speaker: 'caller', text: 'hello \uD800 world 验证码' });
  assert.ok(r.risk >= 0 && r.risk <= 1);
});

test('scoreMessage flags a scam text and passes an everyday one', () => {
  const spam = scoreMessage(model, 'URGENT! You have won a £1000 cash prize. To claim call 09061701461 now. T&C apply');
  assert.equal(spam.label, 'scam');
  assert.ok(spam.alerts.length > 0 && spam.alerts[0]?.evidence);
  const ham = scoreMessage(model, "Ok lar, I'll see you at the station at 7, don't be late");
  assert.equal(ham.label, 'legit');
  const zh = scoreMessage(model, '【银行】您的账户存在异常，请点击链接下载APP并输入验证码完成验证，否则将冻结。');
  assert.equal(zh.label, 'scam');
});

test('utterances after the call ended are refused', () => {
  const session = createCallSession();
  feedUtterance(model, session, { speaker: 'caller', text: 'hello' });
  const summary = endCall(session);
  assert.equal(summary.turns, 1);
  assert.throws(
    () => feedUtterance(model, session, { speaker: 'caller', text: 'hello again' }),
    (e: unknown) => e instanceof CallshieldError && e.code === 'CONVERSATION_CALL_ENDED',
  );
});
