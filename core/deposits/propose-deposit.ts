import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../actor.ts';
import type { ClassificationRequest, ClassificationResult } from '../classify/types.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { resizePhoto } from '../images/resize-photo.ts';
import { DESCRIPTION_MAX_LENGTH } from '../limits.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { listRecentExamples } from '../../db/queries/deposits.ts';
import type { Step } from './conversation/model.ts';
import { startConversation } from './conversation/steps.ts';
import { assertDepositor } from './depositor.ts';

/** Telegram bots may download files up to 20 MB. */
const PHOTO_MAX_BYTES = 20 * 1024 * 1024;
/** past deposits of the site shown to the classifier as examples */
const EXAMPLE_COUNT = 20;

export const ProposeDepositInput = z.object({
  /** what the volunteer wrote, a photo's caption included */
  text: z
    .string()
    .nullable()
    .transform((s) => s?.trim().slice(0, DESCRIPTION_MAX_LENGTH) || null),
  /** the Telegram file id of the photo, if any: downloaded for the classifier and kept on the deposit */
  photoFileId: z.string().min(1).max(512).nullable(),
});
export type ProposeDepositInput = z.input<typeof ProposeDepositInput>;

/**
 * Starts a deposit conversation: classifies what the volunteer described or photographed among the
 * site's categories (Claude, the offline classifier when Claude is absent or fails, and when both fail
 * the volunteer picks), and returns the first step to show. Nothing is written yet.
 */
export async function proposeDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'logger' | 'telegram' | 'classifier'>,
  actor: Actor,
  input: ProposeDepositInput,
): Promise<Step> {
  const parsed = ProposeDepositInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid deposit proposal', { issues: parsed.error.issues });
  }
  const { text, photoFileId } = parsed.data;
  const { siteId } = await assertDepositor(deps, actor);

  const [photo, categories, examples] = await Promise.all([
    photoFileId ? preparePhoto(deps, photoFileId) : null,
    listCategoriesForSite(deps.sql, siteId),
    listRecentExamples(deps.sql, siteId, EXAMPLE_COUNT),
  ]);
  const options = categories.map((c) => ({ code: c.code, labelFr: c.labelFr, weeeCode: c.weeeCode }));
  let result: ClassificationResult | null = null;
  if (text || photo) {
    try {
      result = await deps.classifier.classify({ siteId, text, photo, categories: options, examples });
      deps.logger.info(
        { source: result.source, items: result.items.length, fallbackReason: result.fallbackReason ?? null },
        'deposit classified',
      );
    } catch (err) {
      // even the offline classifier failed: the volunteer picks the category by hand
      deps.logger.error({ err }, 'classification failed');
    }
  }
  return startConversation({
    id: randomBytes(6).toString('base64url'),
    createdAt: deps.clock.now().toISOString(),
    description: text,
    photoFileId,
    categories: options,
    result,
  });
}

/** The photo, resized for the classifier; null when it cannot be had (the text alone then decides). */
async function preparePhoto(
  deps: Pick<Deps, 'telegram' | 'logger'>,
  fileId: string,
): Promise<ClassificationRequest['photo']> {
  try {
    const file = await deps.telegram.getFileBytes(fileId, { maxBytes: PHOTO_MAX_BYTES });
    return await resizePhoto(file.data);
  } catch (err) {
    deps.logger.warn({ err }, 'photo unavailable for classification, going on without it');
    return null;
  }
}
