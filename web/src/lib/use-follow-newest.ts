import { useEffect, useLayoutEffect, useRef } from 'react';

/** How close to the end of the page still counts as reading the newest messages (px). */
const NEAR_END_PX = 160;

function nearEnd(): boolean {
  return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - NEAR_END_PX;
}

/**
 * Keeps the newest part of a conversation in view: whenever `content` changes (a message, a
 * streamed word, a failure) and the person was at the end of the page, the returned element is
 * scrolled into view. Someone who scrolled up to read is left where they are, until they send
 * (`follow()`) or come back down.
 */
export function useFollowNewest(content: string) {
  const end = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  useEffect(() => {
    const onScroll = () => {
      following.current = nearEnd();
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => window.removeEventListener('scroll', onScroll);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the content changes
  useLayoutEffect(() => {
    if (following.current) end.current?.scrollIntoView({ block: 'end' });
  }, [content]);
  return {
    end,
    follow: () => {
      following.current = true;
    },
  };
}
