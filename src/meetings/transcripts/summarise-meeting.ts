import type { LanguageModel } from 'ai';
import { type AgentModelSettings, resolveLanguageModel } from '../../agent/models/language-model.ts';
import type { Actor } from '../../core/actor.ts';
import { forbidden, ServiceError } from '../../core/errors.ts';
import type { ServiceContext } from '../../platform/service-context.ts';
import { canShare, findVisibleMeeting } from '../meeting-store.ts';
import { chunkUtterances, DEFAULT_CHUNK_CHARS } from './chunk-utterances.ts';
import { mergeSummaryItems } from './merge-summary-items.ts';
import { summariseWithModel } from './summarise-with-model.ts';
import { summaryModelOf } from './summary-model-setting.ts';
import { SUMMARY_SYSTEM_PROMPT, summaryPrompt } from './summary-prompt.ts';
import { SUMMARY_PROMPT_VERSION } from './summary-schema.ts';
import { loadSummary, writeSummary } from './summary-store.ts';
import { loadTranscript } from './transcript-store.ts';
import type { Utterance } from './utterance.ts';
import { type DroppedItem, type VerifiedItem, verifyEvidence } from './verify-evidence.ts';

export interface SummariseOutcome {
  /** False when the stored summary already matched this transcript and prompt version. */
  summarised: boolean;
  kept: number;
  flagged: number;
  dropped: number;
}

type SummariseService = Pick<ServiceContext, 'config' | 'store' | 'vault' | 'audit' | 'now' | 'logger'>;

function modelError(error: unknown): ServiceError {
  const reason = error instanceof Error ? error.message.slice(0, 300) : 'unknown error';
  return new ServiceError(
    502,
    'model_failed',
    `The model could not summarise this meeting, so nothing was changed: ${reason}`,
  );
}

/**
 * Summarises a meeting's transcript with the workspace's model: chunked, every item's quotes
 * verified against the transcript, chunks merged without duplicates, then stored in one
 * transaction. A re-run for the same transcript and prompt version reuses the stored summary
 * unless `force`; a model error changes nothing. Audited as `meeting.summarised`.
 */
export async function summariseMeeting(
  service: SummariseService,
  actor: Actor,
  meetingId: string,
  options: { force?: boolean; chunkChars?: number } = {},
): Promise<SummariseOutcome> {
  const stored = await findVisibleMeeting(service.store, actor, meetingId);
  if (!canShare(stored, actor))
    throw forbidden('Only its creator, its participants and admins can summarise a meeting.');
  const transcript = await loadTranscript(service.store, meetingId);
  if (!transcript)
    throw new ServiceError(
      409,
      'no_transcript',
      'This meeting has no transcript to summarize. Import one first.',
    );
  const existing = await loadSummary(service.store, meetingId);
  if (
    !options.force &&
    existing?.prompt_version === SUMMARY_PROMPT_VERSION &&
    existing.transcript_hash === transcript.contentHash
  ) {
    return {
      summarised: false,
      kept: Number(existing.kept_items),
      flagged: Number(existing.flagged_items),
      dropped: Number(existing.dropped_items),
    };
  }
  const { settings, model } = await summaryModel(service);

  const chunks = chunkUtterances(transcript.utterances, options.chunkChars ?? DEFAULT_CHUNK_CHARS);
  const { overviews, keptByChunk, dropped } = await summariseChunks(service, {
    model,
    meetingId,
    title: stored.meeting.title,
    startTime: stored.meeting.startTime,
    chunks,
    utterances: transcript.utterances,
  });
  const kept = mergeSummaryItems(keptByChunk);
  await writeSummary(
    service.store,
    meetingId,
    {
      promptVersion: SUMMARY_PROMPT_VERSION,
      model: `${settings.provider}:${settings.modelId}`,
      transcriptHash: transcript.contentHash,
      overview: overviews.join('\n\n').slice(0, 5000),
      kept,
      dropped,
      chunks: chunks.length,
      createdBy: actor.id,
      createdAt: new Date(service.now()).toISOString(),
    },
    stored.meeting.participants,
  );
  const outcome = {
    summarised: true,
    kept: kept.length,
    flagged: kept.filter((item) => item.flag !== null).length,
    dropped: dropped.length,
  };
  await service.audit.record({
    actorUserId: actor.id,
    surface: actor.surface,
    action: 'meeting.summarised',
    outcome: 'success',
    detail: {
      meetingId,
      promptVersion: SUMMARY_PROMPT_VERSION,
      model: `${settings.provider}:${settings.modelId}`,
      kept: outcome.kept,
      flagged: outcome.flagged,
      dropped: outcome.dropped,
    },
  });
  return outcome;
}

/** One model call per chunk, each answer verified against the whole transcript. */
async function summariseChunks(
  service: Pick<ServiceContext, 'logger'>,
  input: {
    model: LanguageModel;
    meetingId: string;
    title: string;
    startTime: string;
    chunks: Utterance[][];
    utterances: Utterance[];
  },
): Promise<{ overviews: string[]; keptByChunk: VerifiedItem[][]; dropped: DroppedItem[] }> {
  const overviews: string[] = [];
  const keptByChunk: VerifiedItem[][] = [];
  const dropped: DroppedItem[] = [];
  for (const [index, chunk] of input.chunks.entries()) {
    let answer: Awaited<ReturnType<typeof summariseWithModel>>;
    try {
      answer = await summariseWithModel({
        model: input.model,
        system: SUMMARY_SYSTEM_PROMPT,
        prompt: summaryPrompt({
          title: input.title,
          startTime: input.startTime,
          utterances: chunk,
          part: index + 1,
          parts: input.chunks.length,
        }),
      });
    } catch (error) {
      // The error's name only: provider messages can echo request details.
      service.logger.warn(
        {
          meetingId: input.meetingId,
          chunk: index + 1,
          error: error instanceof Error ? error.name : 'unknown',
        },
        'summary model call failed',
      );
      throw modelError(error);
    }
    // Verified against the whole transcript, so evidence points at the transcript's own lines.
    const verified = verifyEvidence(answer.items, input.utterances);
    keptByChunk.push(verified.kept);
    dropped.push(...verified.dropped);
    if (answer.overview.trim() !== '') overviews.push(answer.overview.trim());
  }
  return { overviews, keptByChunk, dropped };
}

/** The workspace's summary model, or a 409 saying what an admin must set. */
async function summaryModel(
  service: Pick<ServiceContext, 'config' | 'store' | 'vault'>,
): Promise<{ settings: AgentModelSettings; model: LanguageModel }> {
  const settings = await summaryModelOf(service.store);
  if (!settings) {
    throw new ServiceError(
      409,
      'model_not_configured',
      'No model is chosen for meeting summaries. An admin chooses one in Settings → Models (or PUT /api/meetings/summary-settings).',
    );
  }
  const resolved = await resolveLanguageModel(service, settings, undefined);
  if (!resolved.ok) throw new ServiceError(409, 'model_not_configured', resolved.message);
  return { settings, model: resolved.model };
}
