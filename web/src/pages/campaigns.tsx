import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import { can } from '../access.js';
import { href } from '../router.js';
import type { Route } from '../router.js';
import { fmtNum } from '../format.js';
import { DataTable, ErrorBox, Loadable, PageTitle, SelectField, TextField, formatTime, useAction, useApp, useConfirm, useLoad } from '../ui.js';

// Campaigns (issue 15): callers tied by evidence (shared callees, numbers used briefly, neighbour
// spoofing, the same script, the same payee), for police, regulators and carriers; and the honeypot
// lines a carrier, regulator or admin registers, whose callers are evidence and whose transcripts
// feed the script fingerprints. The list links to each campaign (#/campaigns?id=...), each member to
// its look-up.

interface Evidence {
  kind: string;
  count: number;
}

interface Campaign {
  id: string;
  memberCount: number;
  firstSeen: string;
  lastSeen: string;
  evidence: Evidence[];
}

interface Member {
  caller: string;
  firstSeen: string;
  lastSeen: string;
  joinedAt: string;
  kinds: string[];
}

interface Honeypot {
  number: string;
  owner: string;
  createdAt: string;
  hits: number;
}

/** A campaign's id is a UUID: its first eight characters name it on screen, the whole id stays in the link. */
const shortId = (id: string): string => id.slice(0, 8);

/** The numbers typed in the box: one a line, or separated by commas (ASCII or full-width) or semicolons. */
export function splitNumbers(text: string): string[] {
  return text
    .split(/[\n,，;；]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function CampaignList() {
  const { t, tv, lang } = useApp();
  const list = useLoad(() => api<{ items: Campaign[] }>('GET', '/v1/campaigns?limit=100'), []);
  return (
    <section class="panel" aria-labelledby="campaigns-h" data-testid="campaigns-section">
      <div class="panel-head">
        <h2 id="campaigns-h">
          {t('campaignsList')} {list.data ? <span class="count">({list.data.items.length})</span> : null}
        </h2>
        <button type="button" onClick={list.reload} disabled={list.busy}>
          {t('refresh')}
        </button>
      </div>
      <p class="muted">{t('campaignsIntro')}</p>
      <Loadable state={list} empty={(d) => d.items.length === 0} emptyText={t('noCampaigns')}>
        {(d) => (
          <DataTable
            caption={t('campaignsList')}
            testid="campaigns"
            rows={d.items}
            rowAttrs={(c) => ({ 'data-campaign': c.id, 'data-members': String(c.memberCount) })}
            columns={[
              { label: t('campaign'), cell: (c) => <a href={href('campaigns', { id: c.id })}>{t('campaignName', { id: shortId(c.id) })}</a> },
              { label: t('campaignMembers'), cell: (c) => <span data-testid="member-count">{fmtNum(c.memberCount, lang)}</span> },
              { label: t('firstSeen'), cell: (c) => formatTime(c.firstSeen, lang) },
              { label: t('lastSeen'), cell: (c) => formatTime(c.lastSeen, lang) },
              { label: t('evidenceKinds'), cell: (c) => c.evidence.map((e) => tv('evk_', e.kind)).join(', ') },
            ]}
          />
        )}
      </Loadable>
    </section>
  );
}

function CampaignDetail({ id }: { id: string }) {
  const { t, tv, lang } = useApp();
  const one = useLoad(() => api<Campaign & { members: Member[] }>('GET', `/v1/campaigns/${encodeURIComponent(id)}`), [id]);
  return (
    <section class="panel" aria-labelledby="campaign-h" data-testid="campaign-detail" data-campaign={id}>
      <div class="panel-head">
        <h2 id="campaign-h">{t('campaignName', { id: shortId(id) })}</h2>
        <a href={href('campaigns')}>{t('backToCampaigns')}</a>
      </div>
      <Loadable state={one}>
        {(c) => (
          <>
            <dl class="facts">
              <dt>{t('campaignMembers')}</dt>
              <dd data-testid="member-count">{fmtNum(c.memberCount, lang)}</dd>
              <dt>{t('firstSeen')}</dt>
              <dd>{formatTime(c.firstSeen, lang)}</dd>
              <dt>{t('lastSeen')}</dt>
              <dd>{formatTime(c.lastSeen, lang)}</dd>
              <dt>{t('evidenceCounts')}</dt>
              <dd data-testid="evidence-counts">{c.evidence.map((e) => t('evidenceCount', { kind: tv('evk_', e.kind), n: fmtNum(e.count, lang) })).join(', ')}</dd>
            </dl>
            <p class="muted">{t('evidenceCountsHelp')}</p>
            <h3>{t('campaignMemberList')}</h3>
            <DataTable
              caption={t('campaignMemberList')}
              testid="members"
              rows={c.members}
              rowAttrs={(m) => ({ 'data-caller': m.caller })}
              columns={[
                { label: t('caller'), cell: (m) => <a href={href('lookup', { id: m.caller })}>{m.caller}</a>, className: 'ident' },
                { label: t('evidenceKinds'), cell: (m) => m.kinds.map((k) => tv('evk_', k)).join(', ') },
                { label: t('firstSeen'), cell: (m) => formatTime(m.firstSeen, lang) },
                { label: t('lastSeen'), cell: (m) => formatTime(m.lastSeen, lang) },
                { label: t('joinedAt'), cell: (m) => formatTime(m.joinedAt, lang) },
              ]}
            />
          </>
        )}
      </Loadable>
    </section>
  );
}

function RemoveLine({ line, onDone }: { line: Honeypot; onDone: () => void }) {
  const { t } = useApp();
  const confirm = useConfirm();
  const { busy, error, run } = useAction(async () => {
    await api('DELETE', `/v1/honeypots/${encodeURIComponent(line.number)}`);
    onDone();
  });
  return (
    <>
      <button
        type="button"
        class="danger"
        disabled={busy}
        aria-label={t('removeLineNamed', { number: line.number })}
        onClick={() => confirm.ask({ title: t('confirmRemoveLineTitle'), message: t('confirmRemoveLineText', { number: line.number }), confirmLabel: t('removeLine'), danger: true, onConfirm: () => void run() })}
      >
        {t('removeLine')}
      </button>
      <ErrorBox error={error} />
      {confirm.dialog}
    </>
  );
}

function Register({ onDone }: { onDone: () => void }) {
  const { t, lang } = useApp();
  const [text, setText] = useState('');
  const [done, setDone] = useState<number | null>(null);
  const { busy, error, run } = useAction(async () => {
    const r = await api<{ registered: Honeypot[] }>('POST', '/v1/honeypots', { body: { numbers: splitNumbers(text) } });
    setDone(r.registered.length);
    setText('');
    onDone();
  });
  return (
    <>
      <h3 id="register-h">{t('registerLines')}</h3>
      <form
        class="grid-form"
        aria-labelledby="register-h"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(null);
          void run();
        }}
      >
        <TextField label={t('lineNumbers')} name="honeypotNumbers" value={text} onInput={setText} help={t('lineNumbersHelp')} multiline required />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || splitNumbers(text).length === 0}>
            {t('registerLinesButton')}
          </button>
        </div>
        <ErrorBox error={error} />
        {done !== null ? (
          <p role="status" class="ok" data-testid="lines-registered">
            {t('linesRegistered', { n: fmtNum(done, lang) })}
          </p>
        ) : null}
      </form>
    </>
  );
}

function Transcript({ lines, onDone }: { lines: Honeypot[]; onDone: () => void }) {
  const { t } = useApp();
  const [number, setNumber] = useState('');
  const [caller, setCaller] = useState('');
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const line = number || lines[0]?.number || '';
  const { busy, error, run } = useAction(async () => {
    await api('POST', '/v1/honeypots/transcripts', { body: { number: line, caller: caller.trim(), text: text.trim() } });
    setDone(true);
    setCaller('');
    setText('');
    onDone();
  });
  return (
    <>
      <h3 id="transcript-h">{t('addTranscript')}</h3>
      <p class="muted">{t('addTranscriptHelp')}</p>
      <form
        class="grid-form"
        aria-labelledby="transcript-h"
        onSubmit={(e) => {
          e.preventDefault();
          setDone(false);
          void run();
        }}
      >
        <SelectField label={t('honeypotLine')} name="transcriptLine" value={line} onChange={setNumber} options={lines.map((l) => ({ value: l.number, label: l.number }))} />
        <TextField label={t('caller')} name="transcriptCaller" value={caller} onInput={setCaller} inputMode="tel" required />
        <TextField label={t('transcriptText')} name="transcriptText" value={text} onInput={setText} multiline required />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !line || !caller.trim() || !text.trim()}>
            {t('addTranscriptButton')}
          </button>
        </div>
        <ErrorBox error={error} />
        {done ? (
          <p role="status" class="ok" data-testid="transcript-added">
            {t('transcriptAdded')}
          </p>
        ) : null}
      </form>
    </>
  );
}

/**
 * The honeypot lines of the reader's organisation (an admin: every line), with what each caught.
 * `besideList`: the campaign list is on the page too; both APIs come with the same server version,
 * so a server without them is said once, by the list, and this section stays out of the way.
 */
function Honeypots({ besideList }: { besideList: boolean }) {
  const { t, lang, session } = useApp();
  const lines = useLoad(() => api<{ items: Honeypot[] }>('GET', '/v1/honeypots'), []);
  const admin = session?.role === 'admin';
  if (besideList && lines.error instanceof ApiError && lines.error.notAvailable) return null;
  return (
    <section class="panel" aria-labelledby="honeypots-h" data-testid="honeypots-section">
      <div class="panel-head">
        <h2 id="honeypots-h">
          {t('honeypotLines')} {lines.data ? <span class="count">({lines.data.items.length})</span> : null}
        </h2>
        <button type="button" onClick={lines.reload} disabled={lines.busy}>
          {t('refresh')}
        </button>
      </div>
      <p class="muted">{t('honeypotsIntro')}</p>
      <Loadable state={lines} empty={(d) => d.items.length === 0} emptyText={t('noHoneypots')}>
        {(d) => (
          <DataTable
            caption={t('honeypotLines')}
            testid="honeypots"
            rows={d.items}
            rowAttrs={(l) => ({ 'data-number': l.number, 'data-hits': String(l.hits) })}
            columns={[
              { label: t('honeypotLine'), cell: (l) => l.number, className: 'ident' },
              { label: t('callersCaught'), cell: (l) => <span data-testid="hits">{fmtNum(l.hits, lang)}</span> },
              { label: t('created'), cell: (l) => formatTime(l.createdAt, lang) },
              ...(admin ? [{ label: t('lineOwner'), cell: (l: Honeypot) => l.owner }] : []),
              { label: t('action'), cell: (l) => <RemoveLine line={l} onDone={lines.reload} /> },
            ]}
          />
        )}
      </Loadable>
      <Register onDone={lines.reload} />
      {lines.data && lines.data.items.length > 0 ? <Transcript lines={lines.data.items} onDone={lines.reload} /> : null}
    </section>
  );
}

export function CampaignsPage({ route }: { route: Route }) {
  const { t, session } = useApp();
  if (!session) return <></>;
  const id = route.params.get('id');
  return (
    <>
      <PageTitle>{t('campaignsTitle')}</PageTitle>
      {can(session.role, 'campaigns.read') ? id ? <CampaignDetail id={id} /> : <CampaignList /> : null}
      {!id && can(session.role, 'honeypots.write') ? <Honeypots besideList={can(session.role, 'campaigns.read')} /> : null}
    </>
  );
}
