import type { Category } from './types.js';

const CATEGORY_LABEL: Readonly<Record<Category, string>> = {
  fraud: 'Suspected fraud',
  impersonation: 'Suspected impersonation',
  harassment: 'Nuisance marketing',
  robocall: 'Robocall',
  'spam-ad': 'Spam advertising',
  other: 'Reported caller',
};

export function categoryLabel(category: Category | null, confirmed: boolean): string {
  if (confirmed && (category === 'fraud' || category === 'impersonation')) return 'Confirmed fraud';
  return category ? CATEGORY_LABEL[category] : 'No reports';
}

/** "Suspected fraud · poses as bank customer service · 37 reports" — short enough for a call screen. */
export function buildLabel(input: {
  category: Category | null;
  confirmed: boolean;
  claimedOrganization: string | null;
  reports: number;
  score: number;
}): string {
  if (input.category === null || input.score === 0) return 'No reports';
  const parts = [categoryLabel(input.category, input.confirmed)];
  if (input.claimedOrganization) parts.push(`poses as ${input.claimedOrganization}`);
  if (input.reports > 0) parts.push(`${input.reports} report${input.reports === 1 ? '' : 's'}`);
  else if (input.confirmed) parts.push('police list');
  return parts.join(' · ');
}
