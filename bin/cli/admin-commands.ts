/** site, invite, api-key and user commands: what the admin API's key holder does, from the server. */
import { systemClock } from '../../core/clients/clock.ts';
import type { Config } from '../../core/config.ts';
import { INVITE_MAX_USES, NAME_MAX_LENGTH, API_KEY_NAME_MAX_LENGTH } from '../../core/limits.ts';
import { INVITE_ROLES, USER_STATUSES, type InviteRole, type UserStatus } from '../../core/vocabulary.ts';
import { createSite, listSitesFor } from '../../core/admin/sites.ts';
import { createInvite, inviteLink } from '../../core/admin/invites.ts';
import { createApiKey, listApiKeysFor, revokeApiKeyFor } from '../../core/admin/api-keys.ts';
import { disableUser, listUsersFor } from '../../core/users/admin-users.ts';
import {
  oneOf,
  operatorName,
  parseDurationHours,
  positiveId,
  required,
  resolveSite,
  siteLabel,
  SLUG,
  slugify,
  str,
  table,
  usageError,
  when,
  wholeNumber,
  type Command,
} from './kit.ts';

/** The bot's @username from getMe, or why it is unknown. The token never appears in the reason. */
async function botUsername(config: Config): Promise<{ username: string } | { reason: string }> {
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) return { reason: 'TELEGRAM_BOT_TOKEN is not set, so the bot username is unknown' };
  const root = config.TELEGRAM_API_ROOT.replace(/\/+$/, '');
  try {
    const res = await fetch(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json().catch(() => ({}))) as {
      ok?: boolean;
      result?: { username?: string };
      description?: string;
    };
    if (body.ok && body.result?.username) return { username: body.result.username };
    return { reason: `Telegram getMe answered ${res.status} ${body.description ?? ''}`.trim() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { reason: `Telegram getMe failed (${cause ?? (err as Error).name})` };
  }
}

export const adminCommands: Command[] = [
  {
    name: 'site create',
    summary: 'Create a site (a ressourcerie), with its default alert rules',
    usage: 'site create --name NAME [--slug SLUG] [--time-zone Europe/Paris]',
    options: {
      name: { type: 'string', help: 'display name' },
      slug: {
        type: 'string',
        help: 'lowercase letters, digits and dashes, 2-63 characters (default: from the name)',
      },
      'time-zone': { type: 'string', help: 'IANA time zone (default Europe/Paris)' },
    },
    example: 'npm run depot -- site create --name "Ressourcerie de Belleville"',
    async run(ctx) {
      const name = required(ctx.values, 'name');
      if (name.length > NAME_MAX_LENGTH)
        throw usageError(`--name is longer than ${NAME_MAX_LENGTH} characters`);
      const slug = str(ctx.values, 'slug') ?? slugify(name);
      if (!SLUG.test(slug)) {
        throw usageError(
          str(ctx.values, 'slug') === undefined
            ? `cannot make a slug from "${name}": give --slug (lowercase letters, digits and dashes, 2-63 characters)`
            : `--slug must be lowercase letters, digits and dashes, 2-63 characters (got "${slug}")`,
        );
      }
      const { sql, actor } = await ctx.open();
      const site = await createSite({ sql }, actor, {
        name,
        slug,
        timeZone: str(ctx.values, 'time-zone'),
      });
      return {
        data: site,
        text: [
          `${siteLabel(site)} created: "${site.name}", time zone ${site.timeZone}`,
          `next: npm run depot -- invite create --site ${site.slug} --role manager`,
        ].join('\n'),
      };
    },
  },
  {
    name: 'site list',
    summary: 'List the sites',
    usage: 'site list',
    options: {},
    example: 'npm run depot -- site list',
    async run(ctx) {
      const { sql, actor } = await ctx.open();
      const sites = await listSitesFor({ sql }, actor);
      return {
        data: sites,
        text: table(
          ['ID', 'SLUG', 'NAME', 'TIME ZONE', 'QUIET HOURS', 'CREATED'],
          sites.map((s) => [
            s.id,
            s.slug,
            s.name,
            s.timeZone,
            s.quietStart ? `${s.quietStart}-${s.quietEnd}` : null,
            when(s.createdAt),
          ]),
          'no sites yet: npm run depot -- site create --name NAME',
        ),
      };
    },
  },
  {
    name: 'invite create',
    summary: 'Create an invite and print its Telegram deep link',
    usage: 'invite create --site ID|SLUG --role manager|volunteer [--max-uses 1] [--expires-in 72h]',
    options: {
      site: { type: 'string', help: 'site id or slug' },
      role: { type: 'string', help: INVITE_ROLES.join(' or ') },
      'max-uses': {
        type: 'string',
        help: `how many people may join with it, 1-${INVITE_MAX_USES} (default 1)`,
      },
      'expires-in': { type: 'string', help: 'validity, such as 7d or 48h, at most 90d (default 72h)' },
    },
    example:
      'npm run depot -- invite create --site ressourcerie-de-belleville --role manager --expires-in 7d',
    async run(ctx) {
      const role: InviteRole = oneOf('--role', required(ctx.values, 'role'), INVITE_ROLES);
      const ref = required(ctx.values, 'site');
      const maxUses = str(ctx.values, 'max-uses');
      const expiresIn = str(ctx.values, 'expires-in');
      const input = {
        role,
        maxUses: maxUses === undefined ? undefined : wholeNumber('--max-uses', maxUses, 1, INVITE_MAX_USES),
        expiresInHours: expiresIn === undefined ? undefined : parseDurationHours(expiresIn),
      };
      const site = await resolveSite(ctx, ref);
      const { sql, actor, config } = await ctx.open();
      const invite = await createInvite({ sql, clock: systemClock }, actor, { siteId: site.id, ...input });
      const bot = await botUsername(config);
      const link = inviteLink('username' in bot ? bot.username : null, invite.code);
      const uses = `${invite.maxUses} use${invite.maxUses > 1 ? 's' : ''}`;
      const lines = [
        `invite ${invite.id} for ${siteLabel(site)}: ${invite.role}, ${uses}, expires ${when(invite.expiresAt)}`,
      ];
      if (link) lines.push(`link: ${link}`);
      else {
        lines.push(
          `code: ${invite.code}`,
          `${'reason' in bot ? bot.reason : ''}: the person opens your bot in Telegram and sends /start ${invite.code}`,
        );
      }
      return { data: { ...invite, link }, text: lines.join('\n') };
    },
  },
  {
    name: 'api-key create',
    summary: 'Create an API key for one site (or every site) and print its secret once',
    usage: 'api-key create (--site ID|SLUG | --all-sites) [--name NAME]',
    options: {
      site: { type: 'string', help: 'the site the key is limited to (id or slug)' },
      'all-sites': { type: 'boolean', help: 'a key valid for every site' },
      name: { type: 'string', help: 'what the key is for (default: "created by <user> with the CLI")' },
    },
    example: 'npm run depot -- api-key create --site ressourcerie-de-belleville --name "till export"',
    async run(ctx) {
      const ref = str(ctx.values, 'site');
      const allSites = ctx.values['all-sites'] === true;
      if ((ref === undefined) === !allSites) throw usageError('give either --site ID|SLUG or --all-sites');
      const name = str(ctx.values, 'name')?.trim() || `created by ${operatorName()} with the CLI`;
      if (name.length > API_KEY_NAME_MAX_LENGTH) {
        throw usageError(`--name is longer than ${API_KEY_NAME_MAX_LENGTH} characters`);
      }
      const site = ref === undefined ? null : await resolveSite(ctx, ref);
      const { sql, actor } = await ctx.open();
      const key = await createApiKey({ sql }, actor, { name, siteId: site?.id ?? null });
      return {
        data: key,
        text: [
          `API key ${key.id} created for ${site ? siteLabel(site) : 'every site'}: "${key.name}"`,
          `secret (shown once, only its hash is stored): ${key.secret}`,
          'use it as: Authorization: Bearer <secret>',
        ].join('\n'),
      };
    },
  },
  {
    name: 'api-key list',
    summary: 'List API keys (never their secrets)',
    usage: 'api-key list',
    options: {},
    example: 'npm run depot -- api-key list',
    async run(ctx) {
      const { sql, actor } = await ctx.open();
      const keys = await listApiKeysFor({ sql }, actor);
      return {
        data: keys,
        text: table(
          ['ID', 'PREFIX', 'SITE', 'CREATED', 'LAST USED', 'REVOKED', 'NAME'],
          keys.map((k) => [
            k.id,
            k.prefix,
            k.siteId ?? 'all',
            when(k.createdAt),
            when(k.lastUsedAt),
            when(k.revokedAt),
            k.name,
          ]),
          'no API keys',
        ),
      };
    },
  },
  {
    name: 'api-key revoke',
    summary: 'Revoke an API key: it is refused from now on',
    usage: 'api-key revoke ID',
    options: {},
    args: ['ID'],
    example: 'npm run depot -- api-key revoke 3',
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const { sql, actor } = await ctx.open();
      const key = await revokeApiKeyFor({ sql }, actor, { id });
      return { data: key, text: `API key ${key.id} ("${key.name}") revoked at ${when(key.revokedAt)}` };
    },
  },
  {
    name: 'user list',
    summary: 'List the Telegram users of one site or of every site',
    usage: `user list [--site ID|SLUG] [--status ${USER_STATUSES.join('|')}]`,
    options: {
      site: { type: 'string', help: 'only this site (id or slug)' },
      status: { type: 'string', help: `only this status: ${USER_STATUSES.join(', ')}` },
    },
    example: 'npm run depot -- user list --site ressourcerie-de-belleville --status pending',
    async run(ctx) {
      const rawStatus = str(ctx.values, 'status');
      const status: UserStatus | null = rawStatus ? oneOf('--status', rawStatus, USER_STATUSES) : null;
      const ref = str(ctx.values, 'site');
      const site = ref === undefined ? null : await resolveSite(ctx, ref);
      const { sql, actor } = await ctx.open();
      const users = await listUsersFor({ sql }, actor, { siteId: site?.id ?? null, status });
      return {
        data: users,
        text: table(
          ['ID', 'SITE', 'ROLE', 'STATUS', 'TELEGRAM', 'JOINED', 'NAME'],
          users.map((u) => [
            u.id,
            u.siteId,
            u.role,
            u.status,
            u.telegramUsername ? `@${u.telegramUsername}` : u.telegramId,
            when(u.createdAt),
            u.displayName,
          ]),
          'no users match',
        ),
      };
    },
  },
  {
    name: 'user disable',
    summary: 'Disable a user: the bot refuses them from their next message',
    usage: 'user disable ID',
    options: {},
    args: ['ID'],
    example: 'npm run depot -- user disable 12',
    async run(ctx) {
      const id = positiveId('ID', ctx.args[0]!);
      const { sql, actor } = await ctx.open();
      const { user, changed } = await disableUser({ sql }, actor, { id });
      const who = `user ${user.id} (${user.displayName}, ${user.role} of site ${user.siteId})`;
      return {
        data: { ...user, changed },
        text: changed ? `${who} disabled` : `${who} was already disabled, nothing changed`,
      };
    },
  },
];
