// The most common passwords, from the ranked breach list that zxcvbn-ts maintains (~30,000
// entries, most common first). We refuse the top 10,000 that are long enough to pass the
// length rule; shorter ones already fail on length.
import { dictionary } from '@zxcvbn-ts/language-common';

const REFUSED_TOP = 10_000;

export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].slice(0, REFUSED_TOP).map((p) => p.toLowerCase()),
);
