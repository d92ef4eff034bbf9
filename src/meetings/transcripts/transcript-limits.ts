/**
 * Transcript size limits, stated once: the README, the API errors and the web dialog quote them.
 * Two megabytes is about eight hours of speech in WebVTT; larger files are almost always a wrong
 * file (a recording, an archive) rather than a longer meeting.
 */
export const TRANSCRIPT_LIMITS = {
  maxBytes: 2 * 1024 * 1024,
  maxUtterances: 20_000,
  maxUtteranceChars: 10_000,
  maxSpeakerChars: 200,
} as const;
