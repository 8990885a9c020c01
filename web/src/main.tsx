// The console shell: sign-in, language switch, role-filtered navigation and hash routing
// (#/lookup, #/live ...), so the server needs no fallback route.
import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import './styles.css';
import { api, loadSession, onUnauthorised, saveSession, setApiLanguage } from './api.js';
import type { Session } from './api.js';
import { PAGE_ORDER, mayOpen, pagesFor } from './access.js';
import type { PageId } from './access.js';
import { initialLang } from './i18n.js';
import type { Key, Lang } from './i18n.js';
import { AppContext, ErrorBox, PageTitle, TextField, makeState, useAction, useApp } from './ui.js';
import { HomePage } from './pages/home.js';
import { LookupPage } from './pages/lookup.js';
import { ReportPage } from './pages/report.js';
import { AppealsPage } from './pages/appeals.js';
import { ScreenPage } from './pages/screen.js';
import { LivePage } from './pages/live.js';
import { AuditPage } from './pages/audit.js';
import { BankPage } from './pages/bank.js';
import { PolicePage } from './pages/police.js';
import { CampaignsPage } from './pages/campaigns.js';
import { RegulatorPage } from './pages/regulator.js';
import { CasePage, TasksPage } from './pages/tasks.js';
import { navigate, parseHash } from './router.js';
import type { Route } from './router.js';

function useRoute(): Route {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = (): void => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return useMemo(() => parseHash(hash), [hash]);
}

const PAGES: Record<PageId, (p: { route: Route }) => preact.JSX.Element> = {
  home: HomePage,
  lookup: LookupPage,
  report: ReportPage,
  appeals: AppealsPage,
  screen: ScreenPage,
  live: LivePage,
  bank: BankPage,
  police: PolicePage,
  campaigns: CampaignsPage,
  tasks: TasksPage,
  case: CasePage,
  regulator: RegulatorPage,
  audit: AuditPage,
};

function SignIn({ onSignedIn, notice }: { onSignedIn: (s: Session) => void; notice: Key | null }) {
  const { t } = useApp();
  const [key, setKey] = useState('');
  const { busy, error, run } = useAction(async () => {
    const k = key.trim();
    const me = await api<{ org: string; role: Session['role']; person?: string }>('GET', '/v1/me', { key: k });
    onSignedIn({ key: k, org: me.org, role: me.role, ...(me.person ? { person: me.person } : {}) });
  });
  return (
    <main id="main" class="signin">
      <PageTitle>{t('signInTitle')}</PageTitle>
      {notice ? (
        <div class="notice signed-out" role="alert" data-testid="signed-out-reason">
          <strong>{t('signedOutTitle')}</strong>
          <p>{t(notice)}</p>
        </div>
      ) : null}
      <p>{t('signInIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <TextField label={t('apiKey')} name="apiKey" type="password" value={key} onInput={setKey} help={t('apiKeyHelp')} required />
        <button type="submit" class="primary" disabled={busy || !key.trim()}>
          {busy ? t('signingIn') : t('signIn')}
        </button>
      </form>
      <ErrorBox error={error} />
    </main>
  );
}

/** A page this role may not open, typed in or from an old link: say so instead of showing another page. */
function Refused({ page }: { page: string }) {
  const { t, tv, session } = useApp();
  const known = (PAGE_ORDER as string[]).includes(page);
  return (
    <>
      <PageTitle>{t('refusedTitle')}</PageTitle>
      <div class="notice" role="status" data-testid="refused" data-page={page}>
        <p>{known ? t('refusedText', { page: t(`page_${page}` as Key), role: tv('role_', session?.role ?? '') }) : t('unknownPageText')}</p>
        <p>
          <a href="#/home">{t('backToQueue')}</a>
        </p>
      </div>
    </>
  );
}

function LangSwitch({ lang, setLang }: { lang: Lang; setLang: (l: Lang) => void }) {
  const { t } = useApp();
  const other: Lang = lang === 'en' ? 'zh' : 'en';
  return (
    <button type="button" class="lang" data-testid="lang-switch" onClick={() => setLang(other)}>
      <span lang={other === 'zh' ? 'zh-CN' : 'en'}>{t('switchTo')}</span>
      <span class="sr-only"> ({t('switchToLabel')})</span>
    </button>
  );
}

function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [navOpen, setNavOpen] = useState(false);
  const [notice, setNotice] = useState<Key | null>(null);
  const route = useRoute();
  const state = useMemo(() => makeState(lang, session), [lang, session]);
  const t = state.t;

  const setLang = (l: Lang): void => {
    localStorage.setItem('callshield.lang', l);
    setLangState(l);
  };
  const signIn = (s: Session): void => {
    saveSession(s);
    setNotice(null);
    setSession(s);
    if (!mayOpen(s.role, route.page)) navigate('home');
  };
  const signOut = (): void => {
    saveSession(null);
    setSession(null);
    navigate('home');
  };

  // A key revoked or expired while in use: sign out and say why on the sign-in page.
  useEffect(
    () =>
      onUnauthorised((err) => {
        signOut();
        setNotice(err.code === 'AUTH_KEY_EXPIRED' ? 'signedOutExpired' : err.code === 'AUTH_KEY_REVOKED' ? 'signedOutRevoked' : 'signedOutUnknown');
      }),
    [],
  );
  setApiLanguage(lang);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const refused = !!session && !mayOpen(session.role, route.page);
  const pageKey = session && !refused ? route.page : 'home';
  useEffect(() => {
    document.title = `${refused ? t('refusedTitle') : t(`page_${pageKey}` as Key)} · ${t('appName')}`;
    setNavOpen(false);
    // Move focus to the new page's heading, as a full page load would.
    const h = document.getElementById('page-title');
    if (h && document.activeElement !== document.body) h.focus();
  }, [pageKey, refused, route.params.toString(), lang, !!session]);

  const Page = PAGES[pageKey];
  return (
    <AppContext.Provider value={state}>
      <a class="skip" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('page-title')?.focus(); }}>
        {t('skip')}
      </a>
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">◆</span> {t('appName')}
        </div>
        <div class="top-actions">
          {session ? (
            <span class="who" data-testid="who">
              {t('signedInAs', { org: session.org, role: state.tv('role_', session.role) })}
            </span>
          ) : null}
          <LangSwitch lang={lang} setLang={setLang} />
          {session ? (
            <button type="button" onClick={signOut} data-testid="sign-out">
              {t('signOut')}
            </button>
          ) : null}
        </div>
      </header>
      {session ? (
        <div class="layout">
          <nav aria-label={t('nav')} class={navOpen ? 'open' : ''}>
            <button type="button" class="menu-toggle" aria-expanded={navOpen} aria-controls="nav-list" onClick={() => setNavOpen(!navOpen)}>
              {t('menu')}: {t(`page_${pageKey}` as Key)}
            </button>
            <ul id="nav-list">
              {pagesFor(session.role).map((p) => (
                <li>
                  <a href={`#/${p}`} aria-current={p === pageKey ? 'page' : undefined} data-page={p}>
                    {t(`page_${p}` as Key)}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="main">
            {refused ? <Refused page={route.page} /> : <Page route={route} />}
          </main>
        </div>
      ) : (
        <SignIn onSignedIn={signIn} notice={notice} />
      )}
    </AppContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
