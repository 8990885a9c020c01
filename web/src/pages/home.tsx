import { pagesFor } from '../access.js';
import type { Key } from '../i18n.js';
import { href } from '../router.js';
import { PageTitle, useApp } from '../ui.js';

export function HomePage() {
  const { t, tv, session } = useApp();
  if (!session) return <></>;
  const pages = pagesFor(session.role).filter((p) => p !== 'home');
  return (
    <>
      <PageTitle>{t('homeTitle', { org: session.org })}</PageTitle>
      <p>{t('homeIntro', { role: tv('role_', session.role) })}</p>
      <ul class="cards" data-testid="home-pages">
        {pages.map((p) => (
          <li class="card">
            <a href={href(p)}>
              <strong>{t(`page_${p}` as Key)}</strong>
            </a>
            <p>{t(`desc_${p}` as Key)}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
