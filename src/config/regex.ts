import { z } from 'zod';

/** A non-empty string that compiles as a JavaScript regular expression (sources' include/exclude, topics' URL patterns). */
export const regexString = z
  .string()
  .min(1)
  .refine(
    (s) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
    { message: 'not a valid regular expression' },
  );
