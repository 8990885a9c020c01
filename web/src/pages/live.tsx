import { useEffect, useRef, useState } from 'preact/hooks';
import { api, readEvents } from '../api.js';
import type { Key, Lang } from '../i18n.js';
import { ErrorBox, PageTitle, SelectField, TextField, useAction, useApp } from '../ui.js';

// The conversation guard's stages, in the order a scam script usually runs (src/conversation/types.ts).
const STAGES = ['impersonation', 'pretext', 'urgency', 'isolation', 'remote-access', 'credential-request', 'money-movement'] as const;

interface Alert {
  stage: string;
  severity: 'info' | 'warning' | 'critical';
  evidence: string;
  advice: string;
  lang: string;
  turn: number;
  risk: number;
}

interface Line {
  speaker: 'caller' | 'callee';
  text: string;
}

// The source case (shared/seed-notes.md, case 1): a "loan platform customer service" video call from
// an e-mail address; a credit-record threat; a meeting app with screen sharing; a "CBRC certified safe
// account"; a 6-digit "verification code".
export const SOURCE_CASE: Record<Lang, { caller: string; lines: Line[] }> = {
  zh: {
    caller: 'kefu-daikuan@icloud.com',
    lines: [
      { speaker: 'caller', text: '您好，我是某某贷款平台的客服，工号8812' },
      { speaker: 'callee', text: '贷款平台？我没有借过钱啊。' },
      { speaker: 'caller', text: '系统显示您之前开通了借款服务，会影响您的征信记录' },
      { speaker: 'caller', text: '请您下载腾讯会议，然后打开屏幕共享，我指导您操作注销' },
      { speaker: 'callee', text: '好的，我已经共享屏幕了。' },
      { speaker: 'caller', text: '为了保护资金安全，请把钱转到我们银监会认证的安全账户' },
      { speaker: 'caller', text: '请把收到的6位验证码告诉我' },
    ],
  },
  en: {
    caller: 'loan-support@icloud.com',
    lines: [
      { speaker: 'caller', text: 'Hello, this is customer service from your loan platform, my employee number is 8812.' },
      { speaker: 'callee', text: 'A loan platform? I never borrowed any money.' },
      { speaker: 'caller', text: 'Our records show you signed a loan agreement, and it will damage your credit record unless we cancel it today.' },
      { speaker: 'caller', text: 'Please download the Zoom app and share your screen so I can guide you to cancel the account.' },
      { speaker: 'callee', text: 'OK, I am sharing my screen now.' },
      { speaker: 'caller', text: 'To protect your funds, transfer the money to this certified safe account of the banking regulator.' },
      { speaker: 'caller', text: 'Now read me the six-digit verification code you just received.' },
    ],
  },
};

type StreamState = 'idle' | 'open' | 'closed' | 'error';

interface Summary {
  label: 'scam' | 'legit';
  maxRisk: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function LivePage() {
  const { t, tv } = useApp();
  const [caller, setCaller] = useState(SOURCE_CASE.zh.caller);
  const [callee, setCallee] = useState('+8613800138000');
  const [channel, setChannel] = useState<'video' | 'pstn' | 'voip'>('video');
  const [callLang, setCallLang] = useState<Lang>('zh');
  const [speed, setSpeed] = useState<'normal' | 'fast'>('normal');
  const [callId, setCallId] = useState<string | null>(null);
  const [stream, setStream] = useState<StreamState>('idle');
  const [risk, setRisk] = useState(0);
  const [seen, setSeen] = useState<string[]>([]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [lines, setLines] = useState<Line[]>([]);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [speaker, setSpeaker] = useState<'caller' | 'callee'>('caller');
  const [text, setText] = useState('');
  const [replaying, setReplaying] = useState(false);
  const [streamAlerts, setStreamAlerts] = useState(0);
  const abort = useRef<AbortController | null>(null);
  const cancelReplay = useRef(false);

  useEffect(
    () => () => {
      cancelReplay.current = true;
      abort.current?.abort();
    },
    [],
  );

  const addAlert = (a: Alert): void => setAlerts((prev) => (prev.some((p) => p.stage === a.stage && p.turn === a.turn) ? prev : [...prev, a]));

  /** Starts a call and opens its event stream; resolves once the stream is connected. */
  const start = async (lang: Lang, who = caller): Promise<string> => {
    abort.current?.abort();
    setStream('idle');
    cancelReplay.current = false;
    setAlerts([]);
    setLines([]);
    setSeen([]);
    setRisk(0);
    setSummary(null);
    setStreamAlerts(0);
    const { callId: id } = await api<{ callId: string }>('POST', '/v1/calls', { body: { caller: who.trim(), callee: callee.trim(), channel, lang }, fresh: true });
    setCallId(id);
    const ctl = new AbortController();
    abort.current = ctl;
    // Not awaited: the server sends the stream's headers with its first event, and it replays the
    // call's past alerts to a late subscriber, so nothing is lost while utterances go out.
    void readEvents(
      `/v1/calls/${encodeURIComponent(id)}/events`,
      (e) => {
        const data = JSON.parse(e.data) as Record<string, unknown>;
        if (e.event === 'alert') {
          setStreamAlerts((n) => n + 1);
          addAlert(data as unknown as Alert);
        } else if (e.event === 'risk') {
          setRisk(Number(data.risk) || 0);
          setSeen((data.stages as string[]) ?? []);
        } else if (e.event === 'end') setSummary(data as unknown as Summary);
      },
      { signal: ctl.signal, onOpen: () => setStream('open') },
    )
      .then(() => setStream((s) => (ctl.signal.aborted ? s : 'closed')))
      .catch(() => setStream((s) => (ctl.signal.aborted ? s : 'error')));
    return id;
  };

  const say = async (id: string, line: Line): Promise<void> => {
    setLines((prev) => [...prev, line]);
    const r = await api<{ risk: number; stages: string[]; alerts: Alert[] }>('POST', `/v1/calls/${encodeURIComponent(id)}/utterances`, { body: line, fresh: true });
    // The stream normally delivers these first; the response covers a stream that dropped.
    setRisk(r.risk);
    setSeen(r.stages);
    for (const a of r.alerts) addAlert(a);
  };

  const replayAction = useAction(async (lang: Lang) => {
    setReplaying(true);
    try {
      const script = SOURCE_CASE[lang];
      setCaller(script.caller);
      setCallLang(lang);
      setChannel('video');
      const id = await start(lang, script.caller);
      for (const line of script.lines) {
        if (cancelReplay.current) break;
        await say(id, line);
        await sleep(speed === 'fast' ? 150 : 1400);
      }
    } finally {
      setReplaying(false);
    }
  });
  const startAction = useAction(async () => start(callLang));
  const sendAction = useAction(async () => {
    if (!callId) return;
    await say(callId, { speaker, text: text.trim() });
    setText('');
  });
  const endAction = useAction(async () => {
    if (!callId) return;
    cancelReplay.current = true;
    const s = await api<Summary>('POST', `/v1/calls/${encodeURIComponent(callId)}/end`, { fresh: true });
    setSummary(s);
    setCallId(null);
  });
  const error = replayAction.error ?? startAction.error ?? sendAction.error ?? endAction.error;
  const busy = replaying || startAction.busy || endAction.busy;
  const riskPct = Math.round(risk * 100);
  const level: 'low' | 'mid' | 'high' = risk >= 0.5 ? 'high' : risk >= 0.25 ? 'mid' : 'low';
  const newest = alerts.length ? alerts[alerts.length - 1]! : null;
  /** Alerts cite a turn: follow the link to the numbered line (hash routing keeps the page; focus moves to the line). */
  const jump = (e: Event, turn: number): void => {
    e.preventDefault();
    const el = document.getElementById(`turn-${turn}`);
    el?.scrollIntoView({ block: 'center' });
    el?.focus();
  };

  return (
    <>
      <PageTitle>{t('liveTitle')}</PageTitle>
      {/* What a family member needs first, also on a phone: the risk, the newest alert and what it means, in plain words. */}
      <section class={`panel now lvl-${level}`} aria-labelledby="now-h" data-testid="now" data-level={level}>
        <h2 id="now-h">{t('nowTitle')}</h2>
        <div class="now-risk">
          <div class={`meter meter-${level}`} role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={riskPct} aria-valuetext={`${riskPct}% · ${t(`riskWord_${level}` as Key)}`} aria-labelledby="risk-h" data-testid="risk" data-risk={risk}>
            <span style={{ width: `${riskPct}%` }} />
          </div>
          <p class="meter-value">
            <span id="risk-h">{t('risk')}</span>: {riskPct}% · <span class="risk-word">{t(`riskWord_${level}` as Key)}</span>
          </p>
        </div>
        {newest ? (
          <div class={`alert sev-${newest.severity} newest`} data-testid="newest-alert" lang={newest.lang === 'zh' ? 'zh-CN' : 'en'}>
            <strong>{t('newestAlert')}:</strong> {tv('stage_', newest.stage)} · <a href={`#turn-${newest.turn}`} onClick={(e) => jump(e, newest.turn)}>{t('turnLink', { n: newest.turn + 1 })}</a>
            <p class="advice">{newest.advice}</p>
          </div>
        ) : null}
        <div class="plain" data-testid="plain-words" aria-live="polite">
          <h3>{t('plainTitle')}</h3>
          {seen.length === 0 ? (
            <p>{t('plainNothing')}</p>
          ) : (
            <ul>
              {STAGES.filter((s) => seen.includes(s)).map((s) => (
                <li>{t(`plain_${s}` as Key)}</li>
              ))}
            </ul>
          )}
          {level === 'high' ? <p class="advice">{t('plainAdviceHigh')}</p> : level === 'mid' ? <p class="advice">{t('plainAdviceMid')}</p> : null}
        </div>
        <p class="muted">
          {t('stream')}: <span data-testid="stream-state">{tv('stream_', stream)}</span>
        </p>
        {summary ? (
          <p class={`summary lab-${summary.label}`} role="status" data-testid="summary">
            {t('callEnded', { label: tv('lab_', summary.label), risk: `${Math.round(summary.maxRisk * 100)}%` })}
          </p>
        ) : null}
      </section>

      <p>{t('liveIntro')}</p>
      <section class="panel" aria-label={t('startCall')}>
        <div class="grid-form">
          <TextField label={t('caller')} name="caller" value={caller} onInput={setCaller} />
          <TextField label={t('callee')} name="callee" value={callee} onInput={setCallee} />
          <SelectField label={t('channel')} name="channel" value={channel} onChange={setChannel} options={(['video', 'pstn', 'voip'] as const).map((c) => ({ value: c, label: tv('ch_', c) }))} />
          <SelectField label={t('callLang')} name="callLang" value={callLang} onChange={setCallLang} options={(['zh', 'en'] as const).map((l) => ({ value: l, label: tv('lang_', l) }))} />
          <SelectField label={t('replaySpeed')} name="speed" value={speed} onChange={setSpeed} options={(['normal', 'fast'] as const).map((s) => ({ value: s, label: tv('speed_', s) }))} />
        </div>
        <div class="buttons">
          <button type="button" class="primary" data-testid="replay-zh" disabled={busy} onClick={() => void replayAction.run('zh')}>
            {t('replayZh')}
          </button>
          <button type="button" class="primary" data-testid="replay-en" disabled={busy} onClick={() => void replayAction.run('en')}>
            {t('replayEn')}
          </button>
          <button type="button" disabled={busy} onClick={() => void startAction.run()}>
            {t('startCall')}
          </button>
          <button type="button" class="danger" data-testid="end-call" disabled={!callId || endAction.busy} onClick={() => void endAction.run()}>
            {t('endCall')}
          </button>
        </div>
        <ErrorBox error={error} />
      </section>

      <div class="live-grid">
        <section class="panel" aria-labelledby="stages-h">
          <h2 id="stages-h">{t('stages')}</h2>
          {/* Stages take the risk's colour: a stage heard while the risk is low is not shown as red. */}
          <ol class={`stages lvl-${level}`} data-testid="stages">
            {STAGES.map((s) => (
              <li class={seen.includes(s) ? 'on' : ''} data-stage={s} data-on={seen.includes(s) ? 'true' : 'false'}>
                <span aria-hidden="true">{seen.includes(s) ? '●' : '○'}</span> {tv('stage_', s)}
                <span class="sr-only">{seen.includes(s) ? ` (${t('yes')})` : ` (${t('no')})`}</span>
              </li>
            ))}
          </ol>
        </section>

        <section class="panel" aria-labelledby="alerts-h">
          <h2 id="alerts-h">{t('alerts')}</h2>
          <div aria-live="polite" aria-relevant="additions">
            {alerts.length === 0 ? <p class="muted">{t('noAlerts')}</p> : null}
            <ul class="alerts" data-testid="alerts" data-stream-alerts={streamAlerts}>
              {[...alerts].reverse().map((a) => (
                <li class={`alert sev-${a.severity}`} data-stage={a.stage} lang={a.lang === 'zh' ? 'zh-CN' : 'en'}>
                  <div class="alert-head">
                    <span class={`badge sev-${a.severity}`}>{tv('sev_', a.severity)}</span> <strong>{tv('stage_', a.stage)}</strong>{' '}
                    <a href={`#turn-${a.turn}`} class="turn-link" onClick={(e) => jump(e, a.turn)}>
                      {t('turn', { n: a.turn + 1 })}
                    </a>
                  </div>
                  <p class="advice">{a.advice}</p>
                  <p class="muted evidence">“{a.evidence}”</p>
                </li>
              ))}
            </ul>
          </div>
        </section>
      </div>

      <section class="panel" aria-labelledby="transcript-h">
        <h2 id="transcript-h">{t('transcript')}</h2>
        <ol class="transcript" data-testid="transcript">
          {lines.map((l, i) => (
            <li class={`line ${l.speaker}${alerts.some((a) => a.turn === i) ? ' flagged' : ''}`} id={`turn-${i}`} tabIndex={-1} data-turn={i + 1}>
              <span class="turn-no">{t('turnN', { n: i + 1 })}</span> <span class="speaker">{tv('sp_', l.speaker)}</span> <span>{l.text}</span>
            </li>
          ))}
        </ol>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void sendAction.run();
          }}
        >
          <SelectField label={t('speaker')} name="speaker" value={speaker} onChange={setSpeaker} options={(['caller', 'callee'] as const).map((s) => ({ value: s, label: tv('sp_', s) }))} />
          <TextField label={t('utterance')} name="utterance" value={text} onInput={setText} />
          <button type="submit" class="primary" disabled={!callId || replaying || sendAction.busy || !text.trim()}>
            {t('send')}
          </button>
        </form>
      </section>
    </>
  );
}
