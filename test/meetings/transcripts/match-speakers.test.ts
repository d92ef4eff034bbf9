import { describe, expect, it } from 'vitest';
import { matchSpeakers } from '../../../src/meetings/transcripts/match-speakers.ts';

const participants = [
  { name: 'Dana Lee', email: 'dana@forcefield.demo' },
  { name: 'Sofía Ibrahim', email: 'sofia.ibrahim@harborviewhotels.example' },
  { name: 'Sam Patel', email: 'sam@forcefield.demo' },
  { name: 'Sam Ortiz', email: 'ortiz@forcefield.demo' },
];

describe('matchSpeakers', () => {
  it('matches by email, full name (case and accents ignored), then an unshared first name', () => {
    const matches = matchSpeakers(
      ['SOFIA IBRAHIM', 'dana l.', 'Guest 1', 'Sam', 'ortiz@forcefield.demo', 'Speaker X'],
      participants,
      { 'Speaker X': 'Dana@Forcefield.demo' },
    );
    expect(
      matches.map((match) => [match.speaker, match.participant?.email ?? null, match.matchedBy]),
    ).toEqual([
      ['SOFIA IBRAHIM', 'sofia.ibrahim@harborviewhotels.example', 'name'],
      ['dana l.', 'dana@forcefield.demo', 'first_name'],
      ['Guest 1', null, null],
      // Two Sams: no guess.
      ['Sam', null, null],
      ['ortiz@forcefield.demo', 'ortiz@forcefield.demo', 'email'],
      ['Speaker X', 'dana@forcefield.demo', 'email'],
    ]);
  });

  it('does not match a first name whose surname initial differs', () => {
    expect(matchSpeakers(['Dana K.'], participants)[0].participant).toBeNull();
  });
});
