import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchStages, normaliseText } from '../../../src/conversation/index.js';
import type { StageId } from '../../../src/conversation/index.js';

function stagesOf(text: string): Map<StageId, number> {
  const t = normaliseText(text);
  const hits = matchStages(t, { zh: /\p{Script=Han}/u.test(t), en: /[a-z]/.test(t) });
  return new Map(hits.map((h) => [h.stage, h.strength]));
}

const strong: [StageId, string, string, string][] = [
  // stage, simplified Chinese, traditional Chinese, English
  ['impersonation', '您好，我是某贷款平台的客服', '您好，這裡是中國銀行客服中心', 'Hello, this is Officer Brown from the Social Security Administration'],
  ['pretext', '您的账户存在异常交易', '您的帳戶出現異常交易，會影響您的徵信', 'we found suspicious activity on your account'],
  ['isolation', '这件事不要告诉任何人，包括你的家人', '這件事不要告訴任何人', "don't tell anyone at the bank about this call"],
  ['remote-access', '请您下载一个zoom会议软件，然后共享屏幕', '請您下載一個會議軟體，然後共享螢幕', 'please download AnyDesk and share your screen'],
  ['credential-request', '请把收到的六位验证码告诉我', '請把收到的驗證碼告訴我', 'read me the six-digit verification code we just sent'],
  ['money-movement', '把钱转到银保监会认证的安全账户', '把錢轉到我們的安全帳戶', 'move your savings to a secure account and buy gift cards'],
  ['urgency', '必须在今天之内处理', '請立即處理', 'press 1 now to speak to an officer'],
];

for (const [stage, zhs, zht, en] of strong) {
  test(`${stage}: simplified Chinese`, () => assert.equal(stagesOf(zhs).get(stage), 2, zhs));
  test(`${stage}: traditional Chinese`, () => assert.equal(stagesOf(zht).get(stage), 2, zht));
  test(`${stage}: English`, () => assert.equal(stagesOf(en).get(stage), 2, en));
}

test('a customer giving their own card number is not a credential request', () => {
  assert.equal(stagesOf('my card number is 4111 1111 1111 1111').get('credential-request'), undefined);
  assert.equal(stagesOf('我的卡号是6222 0202 0000 1234').get('credential-request'), undefined);
});

test('an agent asking for an order number, name or e-mail is no strong stage', () => {
  const s = stagesOf('Can I have your order number, and the name and e-mail on the order?');
  assert.ok([...s.values()].every((v) => v < 2), JSON.stringify([...s]));
});

test('a warning against sharing codes is advice, not a request', () => {
  assert.notEqual(stagesOf('请不要把密码和验证码告诉任何人').get('credential-request'), 2);
  assert.notEqual(stagesOf('We will never ask you to read out your verification code.').get('credential-request'), 2);
  assert.notEqual(stagesOf('Never move money to a safe account.').get('money-movement'), 2);
});

test('full-width characters match like ASCII', () => {
  assert.equal(stagesOf('请提供ＣＶＶ安全码').get('credential-request'), 2);
});
