/**
 * Which meeting participant each transcript speaker is: by email first (the file gives it, or the
 * speaker label is one), then by the full name, then by a first name no other participant shares.
 * Case, accents and spacing do not matter; nothing is matched on a guess between two people.
 */
export interface SpeakerMatch {
  speaker: string;
  participant: { name: string; email: string } | null;
  matchedBy: 'email' | 'name' | 'first_name' | null;
}

export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@.]+/gu, ' ')
    .trim();
}

export function matchSpeakers(
  speakers: readonly string[],
  participants: ReadonlyArray<{ name: string; email: string }>,
  speakerEmails: Readonly<Record<string, string>> = {},
): SpeakerMatch[] {
  const firstNames = new Map<string, number>();
  for (const participant of participants) {
    const first = normaliseName(participant.name).split(' ')[0];
    firstNames.set(first, (firstNames.get(first) ?? 0) + 1);
  }
  return speakers.map((speaker) => {
    const email = (speakerEmails[speaker] ?? (speaker.includes('@') ? speaker : '')).trim().toLowerCase();
    const byEmail = email
      ? participants.find((participant) => participant.email.toLowerCase() === email)
      : undefined;
    if (byEmail) return { speaker, participant: pick(byEmail), matchedBy: 'email' };
    const name = normaliseName(speaker);
    const byName = participants.find((participant) => normaliseName(participant.name) === name);
    if (byName) return { speaker, participant: pick(byName), matchedBy: 'name' };
    // "Dana" or "Dana L." for Dana Lee, when Dana is the only Dana.
    const first = name.split(' ')[0];
    const byFirst = participants.find(
      (participant) => normaliseName(participant.name).split(' ')[0] === first,
    );
    if (byFirst && firstNames.get(first) === 1 && name.split(' ').length <= 2) {
      const rest = name.split(' ')[1];
      const surname = normaliseName(byFirst.name).split(' ')[1] ?? '';
      if (rest === undefined || surname.startsWith(rest.replace(/\.$/, ''))) {
        return { speaker, participant: pick(byFirst), matchedBy: 'first_name' };
      }
    }
    return { speaker, participant: null, matchedBy: null };
  });
}

function pick(participant: { name: string; email: string }) {
  return { name: participant.name, email: participant.email };
}
