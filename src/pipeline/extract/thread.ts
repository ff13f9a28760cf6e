/**
 * A thread against Readability's choice (issue 14): the posts' bodies (`prunePosts` in forum.ts)
 * read before Readability rearranges the page, and whether Readability took a few of them for the
 * article (choose.ts). On a page without <main> (vBulletin 3's tables of posts), the thread is
 * read off the page as it is.
 */
import { allElements } from './clean.js';
import { BODY, findPosts, postBodies } from './forum.js';
import { normalizeLine } from './text.js';

/** Compared without whitespace: a paragraph and the <pre> after it join with or without a space. */
const squash = (t: string): string => normalizeLine(t).replace(/\s+/g, '');

/** The start of each post body `prunePosts` reduced under `root` (read before Readability rearranges the page). */
export function postStarts(root: Element): string[] {
  return allElements(root)
    .filter((el) => el.hasAttribute(BODY))
    .map((b) => squash(b.textContent ?? '').slice(0, 50));
}

/**
 * Whether Readability's text `read` holds a few of the thread's posts (`starts`, see `postStarts`),
 * not most of them: it took one post (the longest, a log or a long answer) for the article. Then
 * the thread is the content. Readability's text holding no post at all is an article whose
 * comments it rightly left out.
 */
export function lostPosts(starts: readonly string[], read: string): boolean {
  return fewOf(starts, squash(read));
}

/** Whether the squashed text `text` holds some of the posts that start with `starts`, and at most half. */
function fewOf(starts: readonly string[], text: string): boolean {
  if (starts.length < 2) return false;
  const found = starts.filter((s) => text.includes(s)).length;
  return found > 0 && found * 2 <= starts.length;
}

/** A thread found on a page without a content landmark: its posts' bodies (squashed, see `squash`) and the posts' parent. */
export interface Thread {
  bodies: string[];
  container: Element;
}

/**
 * The thread under `root` (a page without <main>: vBulletin 3's tables of posts), read without
 * changing the page, or null: its posts' bodies, for `tookPosts` against Readability's text, and
 * the element that holds the posts.
 */
export function findThread(root: Element): Thread | null {
  const posts = findPosts(root);
  const container = posts[0]?.parentElement;
  const bodies = postBodies(posts);
  if (!container || !bodies) return null;
  return { bodies: [...bodies.values()].map((b) => squash(b.textContent ?? '')), container };
}

/** Readability's text of a few posts is at most this many times their length (a title, a label). */
const READ_BEYOND_POSTS = 1.33;

/**
 * Whether Readability's text `read` is a few posts of `thread` and little else (see `lostPosts`):
 * at most a third more than the posts it holds. An article that Readability read with a comment
 * or two under it is more than those comments: it stays Readability's.
 */
export function tookPosts(thread: Thread, read: string): boolean {
  // Readability's text squashed once: it can be the length of the whole page.
  const text = squash(read);
  const held = thread.bodies.filter((b) => text.includes(b.slice(0, 50)));
  const heldLength = held.reduce((n, b) => n + b.length, 0);
  return (
    fewOf(
      thread.bodies.map((b) => b.slice(0, 50)),
      text,
    ) && text.length <= heldLength * READ_BEYOND_POSTS
  );
}
