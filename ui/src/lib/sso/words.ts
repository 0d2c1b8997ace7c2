// The single sign-on step's answers from the engine, put into words: a change Ferry
// would make, a problem an app's sign-in has, what happened to a member.
import type { AppProblem, Change, MemberOutcome } from '../bindings';
import { describeError } from '../errors';
import { t, type MessageKey } from '../i18n/index.svelte';

const fields = (names: string[]) => names.map((f) => t(`sso.field.${f}` as MessageKey)).join(', ');

export function describeChange(c: Change): string {
  switch (c.kind) {
    case 'create_realm':
      return t('sso.change.realm', { name: c.realm });
    case 'create_group':
      return t('sso.change.group', { name: c.name });
    case 'create_client':
      return t('sso.change.client', { app: c.client.recipe, address: [...c.client.settings.redirect_uris].join(', ') });
    case 'update_client':
      return t('sso.change.update', { app: c.client.recipe, what: fields(c.fields) });
    case 'adopt':
      return t('sso.change.adopt', { name: c.name });
    case 'remove_client':
      return t('sso.change.remove', { name: c.client_id });
    case 'set_up_recovery':
      return t('sso.change.recovery');
  }
}

export function describeAppProblem(p: AppProblem): string {
  if (p.kind === 'client_differs') return t('sso.problem.client_differs', { what: fields(p.fields) });
  if (p.kind === 'discovery') return t('sso.problem.discovery', { detail: p.detail });
  if (p.kind === 'issuer_mismatch') return t('sso.problem.issuer_mismatch', { issuer: p.expected });
  if (p.kind === 'foreign_redirect') return t('sso.problem.foreign_redirect', { urls: p.urls.join(' ') });
  if (p.kind === 'sign_in_refused') return t('sso.problem.sign_in_refused', { detail: p.detail });
  if (p.kind === 'taken') return p.owner ? t('sso.problem.taken_by', { owner: p.owner }) : t('sso.problem.taken');
  return t(`sso.problem.${p.kind}` as MessageKey);
}

/** What happened to a member, or would in a dry run. */
export function describeOutcome(o: MemberOutcome, dryRun: boolean): string {
  if (o.error) return t('sso.members.failed', { reason: describeError(o.error) });
  const groups = o.added_to.join(', ');
  let text = o.created
    ? t(dryRun ? 'sso.members.wouldCreate' : 'sso.members.created', { groups })
    : groups
      ? t(dryRun ? 'sso.members.wouldAdd' : 'sso.members.added', { groups })
      : t('sso.members.unchanged');
  if (o.renamed) text += ' ' + t('sso.renamed.member', { before: o.renamed.before, after: o.renamed.after });
  if (o.invite) {
    const invite = o.invite;
    text +=
      ' ' +
      (invite.kind === 'not_possible'
        ? t(`sso.invite.reason.${invite.reason}` as MessageKey)
        : invite.kind === 'link'
          ? t('sso.invite.link', { url: invite.url })
          : t(`sso.invite.${invite.kind}`));
  }
  return text;
}
