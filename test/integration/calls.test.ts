// The conversation guard over HTTP: utterance by utterance, alerts in the responses and on the
// Server-Sent Events stream, the risky-call mark for payments, evidence for the caller's reputation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { startTestServer } from '../helpers/server.js';
import type { TestServer } from '../helpers/server.js';

const SOURCE_CASE_ZH = [
  '您好，我是某某贷款平台的客服，工号8812',
  '系统显示您之前开通了借款服务，会影响您的征信记录',
  '请您下载腾讯会议，然后打开屏幕共享，我指导您操作注销',
  '为了保护资金安全，请把钱转到我们银监会认证的安全账户',
  '请把收到的6位验证码告诉我',
];
const SOURCE_CASE_EN = [
  "Hello, this is customer service from your loan platform, my employee number is 8812.",
  'Our records show you signed a loan agreement, and it will damage your credit record unless we cancel it today.',
  'Please download the Zoom app and share your screen so I can guide you to cancel the account.',
  'To protect your funds, transfer the money to this certified safe account of the banking regulator.',
  'Now read me the six-digit verification code you just received.',
];

/** Opens the SSE stream and collects events until `end` or the stream closes. */
function listen(t: TestServer, callId: string): { events: { event: string; data: any }[]; done: Promise<void>; close: () => void } {
  const events: { event: string; data: any }[] = [];
  let close = (): void => {};
  const done = new Promise<void>((resolve, reject) => {
    const url = new URL(`${t.url}/v1/calls/${callId}/events`);
    const req = httpRequest(url, { headers: { authorization: `Bearer ${t.keys.app}` } }, (res) => {
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /text\/event-stream/);
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      });
      res.on('end', resolve);
      res.on('close', resolve);
    });
    let closing = false;
    req.on('error', (err) => (closing ? resolve() : reject(err)));
    req.end();
    close = () => {
      closing = true;
      req.destroy();
    };
  });
  return { events, done, close };
}

describe('conversation guard API', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(async () => t.close());

  for (const [lang, script] of [['zh', SOURCE_CASE_ZH], ['en', SOURCE_CASE_EN]] as const) {
    it(`raises remote-access and money-movement alerts on the source case (${lang}) and streams them`, async () => {
      const callee = lang === 'zh' ? '+8613800138000' : '+8613800138001';
      // The callee's own app (it holds their policy): only the app serving a person marks them.
      assert.equal((await t.call('PUT', `/v1/subscribers/${encodeURIComponent(callee)}/policy`, { role: 'app', body: {} })).status, 200);
      const start = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: 'scammer@icloud.com', callee, channel: 'video' } });
      assert.equal(start.status, 201);
      const callId = start.body.callId as string;
      const stream = listen(t, callId);
      await new Promise((r) => setTimeout(r, 100));
      const stagesAlerted: string[] = [];
      let lastRisk = 0;
      for (const text of script) {
        const r = await t.call('POST', `/v1/calls/${callId}/utterances`, { role: 'app', body: { speaker: 'caller', text } });
        assert.equal(r.status, 200, r.text);
        for (const a of r.body.alerts) {
          stagesAlerted.push(a.stage);
          assert.ok(a.advice.length > 10);
          assert.equal(a.lang, lang);
        }
        lastRisk = r.body.risk;
      }
      assert.ok(stagesAlerted.includes('remote-access'), `alerts: ${stagesAlerted}`);
      assert.ok(stagesAlerted.includes('money-movement'), `alerts: ${stagesAlerted}`);
      assert.equal(new Set(stagesAlerted).size, stagesAlerted.length, 'each stage alerts once');
      assert.ok(lastRisk >= 0.5);

      // The callee is now marked as in a risky call, for the bank's transfer check.
      const mark = t.ctx.riskyCalls.get(t.ctx.hash(callee));
      assert.ok(mark && mark.active && mark.callId === callId);
      assert.equal(mark.stage, 'remote-access');

      const end = await t.call('POST', `/v1/calls/${callId}/end`, { role: 'app' });
      assert.equal(end.status, 200);
      assert.equal(end.body.label, 'scam');
      await stream.done;
      const streamed = stream.events.filter((e) => e.event === 'alert').map((e) => e.data.stage);
      assert.deepEqual(streamed, stagesAlerted);
      assert.equal(stream.events.at(-1)?.event, 'end');
      assert.equal(t.ctx.riskyCalls.get(t.ctx.hash(callee))?.active, false);

      const late = await t.call('POST', `/v1/calls/${callId}/utterances`, { role: 'app', body: { speaker: 'caller', text: 'hello?' } });
      assert.equal(late.status, 409);
      assert.equal(late.body.code, 'CONVERSATION_CALL_ENDED');
    });
  }

  it('feeds the caller reputation: two scam calls to two people are two reports', async () => {
    const rep = await t.call('GET', '/v1/identifiers/scammer@icloud.com', { role: 'app' });
    assert.equal(rep.status, 200);
    assert.equal(rep.body.reports, 2);
    assert.equal(rep.body.category, 'fraud');
  });

  it('leaves an ordinary customer-service call alone', async () => {
    const start = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: '+8602195588000', callee: '+8613900001111' } });
    const id = start.body.callId;
    for (const text of ['您好，这里是快递公司，您的包裹明天上午送到，请问家里有人吗？', '好的，有人在家', '那我们明天十点左右送过去，谢谢']) {
      const r = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'app', body: { speaker: text.startsWith('好的') ? 'callee' : 'caller', text } });
      assert.equal(r.status, 200);
      const loud = r.body.alerts.filter((a: { severity: string }) => a.severity !== 'info');
      assert.deepEqual(loud, [], text);
    }
    const end = await t.call('POST', `/v1/calls/${id}/end`, { role: 'app' });
    assert.equal(end.body.label, 'legit');
    assert.equal(t.ctx.riskyCalls.has(t.ctx.hash('+8613900001111')), false);
  });

  it('rejects bad utterances and unknown calls with problem+json', async () => {
    const start = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: '+8613800138000', callee: '+8613900002222' } });
    const id = start.body.callId;
    const empty = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'app', body: { speaker: 'caller', text: '   ' } });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.code, 'CONVERSATION_INVALID_UTTERANCE');
    assert.equal(empty.body.field, 'text');
    const speaker = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'app', body: { speaker: 'robot', text: 'hi' } });
    assert.equal(speaker.status, 400);
    assert.equal(speaker.body.field, 'speaker');
    const huge = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'app', body: { speaker: 'caller', text: 'a'.repeat(50_000) } });
    assert.equal(huge.status, 200);
    assert.equal(huge.body.truncated, true);
    const badUtf8 = await fetch(`${t.url}/v1/calls/${id}/utterances`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.app}`, 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from('{"speaker":"caller","text":"ok '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]),
    });
    assert.equal(badUtf8.status, 400);
    assert.equal(((await badUtf8.json()) as { code: string }).code, 'CONVERSATION_INVALID_UTTERANCE');
    const unknown = await t.call('POST', '/v1/calls/00000000-0000-4000-8000-000000000000/utterances', { role: 'app', body: { speaker: 'caller', text: 'hi' } });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, 'CONVERSATION_CALL_NOT_FOUND');
    // Another organisation cannot see or feed this call.
    const other = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'platform', body: { speaker: 'caller', text: 'hi' } });
    assert.equal(other.status, 404);
  });

  it('forgets a stream whose client disconnected', async () => {
    const start = await t.call('POST', '/v1/calls', { role: 'app', body: { caller: '+8613800138000', callee: '+8613900003333' } });
    const id = start.body.callId;
    const stream = listen(t, id);
    await new Promise((r) => setTimeout(r, 100));
    stream.close();
    await stream.done;
    await new Promise((r) => setTimeout(r, 100));
    // Feeding after the disconnect must not throw into the request.
    const r = await t.call('POST', `/v1/calls/${id}/utterances`, { role: 'app', body: { speaker: 'caller', text: '请下载会议软件并共享屏幕' } });
    assert.equal(r.status, 200);
  });

  it('scores a single SMS', async () => {
    const scam = await t.call('POST', '/v1/messages/score', { role: 'app', body: { text: 'URGENT: your bank account is suspended. Verify now at http://bank-secure-login.example and enter your card number and PIN.' } });
    assert.equal(scam.status, 200);
    assert.equal(scam.body.label, 'scam');
    const ham = await t.call('POST', '/v1/messages/score', { role: 'app', body: { text: 'Running 10 min late, see you at the station' } });
    assert.equal(ham.body.label, 'legit');
  });
});
