import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../actor.ts';
import type { ClassificationPhoto, ClassificationRequest, ClassificationResult } from '../classify/types.ts';
import { typedWeightFor } from '../classify/site-memory.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { resizePhoto } from '../images/resize-photo.ts';
import { DEPOSIT_PHOTOS_MAX, DESCRIPTION_MAX_LENGTH, OPEN_PROPOSALS_MAX } from '../limits.ts';
import { listCategoriesForSite } from '../../db/queries/categories.ts';
import { listRecentExamples } from '../../db/queries/deposits.ts';
import type { Step } from './conversation/model.ts';
import { addProposal, emptyQueue, isQueueFull, type ProposalQueue } from './conversation/queue.ts';
import { CONVERSATION_TEXTS } from './conversation/texts.ts';
import { startConversation } from './conversation/start.ts';
import { assertDepositor } from './depositor.ts';
import { detectIntakeSource, weightOverCapIn, weightWithinCapIn } from './parse-input.ts';

/** Telegram bots may download files up to 20 MB (getFile): a bigger image document is refused. */
export const PHOTO_MAX_BYTES = 20 * 1024 * 1024;
/** past deposits of the site the classifiers learn from (Claude's prompt shows the first, corrections first) */
const EXAMPLE_COUNT = 200;

export const ProposeDepositInput = z.object({
  /** what the volunteer wrote, a photo's caption included */
  text: z
    .string()
    .nullable()
    .transform((s) => s?.trim().slice(0, DESCRIPTION_MAX_LENGTH) || null),
  /** the Telegram file id of the photo, if any: downloaded for the classifier and kept on the deposit */
  photoFileId: z.string().min(1).max(512).nullish(),
  /** every photo of an album (one item, several photos): all shown to Claude, all kept on the deposit */
  photoFileIds: z.array(z.string().min(1).max(512)).max(DEPOSIT_PHOTOS_MAX).optional(),
});
export type ProposeDepositInput = z.input<typeof ProposeDepositInput> & {
  /** the chat's open proposals: the new one joins them (none when absent) */
  queue?: ProposalQueue;
};

export type ProposeDepositResult = Step & {
  /** the chat's open proposals, the new one last (unchanged when the queue was full) */
  queue: ProposalQueue;
};

/**
 * Starts a deposit conversation: classifies what the volunteer described or photographed among the
 * site's categories (Claude, the offline classifier when Claude is absent or fails, and when both fail
 * the volunteer picks), and returns the first step to show, the proposal joining the chat's open ones.
 * Nothing is written yet.
 */
export async function proposeDeposit(
  deps: Pick<Deps, 'sql' | 'clock' | 'logger' | 'telegram' | 'classifier' | 'metrics'>,
  actor: Actor,
  input: ProposeDepositInput,
): Promise<ProposeDepositResult> {
  const parsed = ProposeDepositInput.safeParse(input);
  if (!parsed.success) {
    throw new AppError('validation_failed', 'invalid deposit proposal', { issues: parsed.error.issues });
  }
  const { text } = parsed.data;
  const photoFileIds = parsed.data.photoFileIds?.length
    ? parsed.data.photoFileIds
    : parsed.data.photoFileId
      ? [parsed.data.photoFileId]
      : [];
  const photoFileId = photoFileIds[0] ?? null;
  const queue = input.queue ?? emptyQueue();
  const textCut = (input.text?.trim().length ?? 0) > DESCRIPTION_MAX_LENGTH;
  const { siteId } = await assertDepositor(deps, actor);
  if (isQueueFull(queue)) {
    const text = CONVERSATION_TEXTS.queueFull(OPEN_PROPOSALS_MAX);
    return { state: null, messages: [{ text, buttons: [] }], save: [], queue };
  }

  const [photos, categories, examples] = await Promise.all([
    // the offline classifier reads only text: no download when nothing would look at the photos
    deps.classifier.seesPhotos === false ? [] : preparePhotos(deps, photoFileIds),
    listCategoriesForSite(deps.sql, siteId),
    listRecentExamples(deps.sql, siteId, EXAMPLE_COUNT),
  ]);
  const options = categories.map((c) => ({ code: c.code, labelFr: c.labelFr, weeeCode: c.weeeCode }));
  const photo = photos[0] ?? null;
  let result: ClassificationResult | null = null;
  if (text || photo) {
    try {
      result = await deps.classifier.classify({
        siteId,
        text,
        photo,
        ...(photos.length > 1 ? { photos } : {}),
        categories: options,
        examples,
      });
      // the weight this site's volunteers typed for the same words is the estimate, Claude's or not
      const typedKg = text && result.items.length === 1 ? typedWeightFor(examples, text) : null;
      if (typedKg !== null) result = { ...result, items: [{ ...result.items[0]!, weightKg: typedKg }] };
      deps.logger.info(
        { source: result.source, items: result.items.length, fallbackReason: result.fallbackReason ?? null },
        'deposit classified',
      );
    } catch (err) {
      // even the offline classifier failed: the volunteer picks the category by hand
      deps.logger.error({ err }, 'classification failed');
    }
  }
  deps.metrics.classification(result === null ? 'manual' : result.source === 'ai' ? 'claude' : 'offline');
  const step = startConversation({
    id: randomBytes(6).toString('base64url'),
    createdAt: deps.clock.now().toISOString(),
    description: text,
    photoFileId,
    photoFileIds,
    categories: options,
    result,
    intakeSource: detectIntakeSource(text),
    textCut,
    typedWeightReask: weightOverCapIn(text),
    typedWeightKg: weightWithinCapIn(text),
  });
  return { ...step, queue: step.state ? addProposal(queue, step.state) : queue };
}

/** Every photo that can be had, resized, in parallel (an album is sent within a second). */
async function preparePhotos(
  deps: Pick<Deps, 'telegram' | 'logger'>,
  fileIds: string[],
): Promise<ClassificationPhoto[]> {
  const prepared = await Promise.all(fileIds.map((id) => preparePhoto(deps, id)));
  return prepared.filter((p): p is ClassificationPhoto => p != null);
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
