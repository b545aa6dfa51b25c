// Messages for what everyone meets on the portal's pages (error summary, language offer,
// activity cards and counts, "My activities", confirmation steps), in every language. German
// defines the keys; the other languages must supply each of them (FeatureCatalogue checks that).
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  // GOV.UK's error summary names the field: "Ihr Name: Bitte füllen Sie dieses Feld aus."
  'form.errorEntry': '{label}: {message}',
  // …and a label that is a question is followed by the message alone.
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': { one: '{count} Angebot passt zu Ihrer Auswahl.', other: '{count} Angebote passen zu Ihrer Auswahl.' },
  'browse.upcoming': { one: '{count} Angebot steht an.', other: '{count} Angebote stehen an.' },
  'helpWanted.matching': { one: '{count} Aufgabe passt zu Ihrer Auswahl.', other: '{count} Aufgaben passen zu Ihrer Auswahl.' },
  'helpWanted.count': { one: '{count} Aufgabe sucht Helfende.', other: '{count} Aufgaben suchen Helfende.' },
  // The language offer's "no, thanks", in the language offered; {language} is this page's.
  'nav.stayInLanguage': 'Nein danke, auf {language} bleiben',
};

export const en: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': { one: '{count} activity matches your choice.', other: '{count} activities match your choice.' },
  'browse.upcoming': { one: '{count} activity coming up.', other: '{count} activities coming up.' },
  'helpWanted.matching': { one: '{count} task matches your choice.', other: '{count} tasks match your choice.' },
  'helpWanted.count': { one: '{count} task needs helpers.', other: '{count} tasks need helpers.' },
  'nav.stayInLanguage': 'No thanks, stay in {language}',
};

export const ar: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': {
    zero: 'لا يوجد نشاط يطابق اختيارك.',
    one: 'نشاط واحد يطابق اختيارك.',
    two: 'نشاطان يطابقان اختيارك.',
    few: '{count} أنشطة تطابق اختيارك.',
    many: '{count} نشاطًا يطابق اختيارك.',
    other: '{count} نشاط يطابق اختيارك.',
  },
  'browse.upcoming': {
    zero: 'لا توجد أنشطة قادمة.',
    one: 'نشاط واحد قادم.',
    two: 'نشاطان قادمان.',
    few: '{count} أنشطة قادمة.',
    many: '{count} نشاطًا قادمًا.',
    other: '{count} نشاط قادم.',
  },
  'helpWanted.matching': {
    zero: 'لا توجد مهمة تطابق اختيارك.',
    one: 'مهمة واحدة تطابق اختيارك.',
    two: 'مهمتان تطابقان اختيارك.',
    few: '{count} مهام تطابق اختيارك.',
    many: '{count} مهمةً تطابق اختيارك.',
    other: '{count} مهمة تطابق اختيارك.',
  },
  'helpWanted.count': {
    zero: 'لا توجد مهام تحتاج إلى متطوعين.',
    one: 'مهمة واحدة تحتاج إلى متطوعين.',
    two: 'مهمتان تحتاجان إلى متطوعين.',
    few: '{count} مهام تحتاج إلى متطوعين.',
    many: '{count} مهمةً تحتاج إلى متطوعين.',
    other: '{count} مهمة تحتاج إلى متطوعين.',
  },
  'nav.stayInLanguage': 'لا، شكرًا، المتابعة باللغة {language}',
};

export const uk: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': {
    one: '{count} захід відповідає вашому вибору.',
    few: '{count} заходи відповідають вашому вибору.',
    many: '{count} заходів відповідають вашому вибору.',
    other: '{count} заходу відповідають вашому вибору.',
  },
  'browse.upcoming': {
    one: 'Незабаром {count} захід.',
    few: 'Незабаром {count} заходи.',
    many: 'Незабаром {count} заходів.',
    other: 'Незабаром {count} заходу.',
  },
  'helpWanted.matching': {
    one: '{count} завдання відповідає вашому вибору.',
    few: '{count} завдання відповідають вашому вибору.',
    many: '{count} завдань відповідають вашому вибору.',
    other: '{count} завдання відповідають вашому вибору.',
  },
  'helpWanted.count': {
    one: '{count} завдання шукає помічників.',
    few: '{count} завдання шукають помічників.',
    many: '{count} завдань шукають помічників.',
    other: '{count} завдання шукають помічників.',
  },
  'nav.stayInLanguage': 'Ні, дякую, залишити мову: {language}',
};

export const tr: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': { one: '{count} etkinlik seçiminize uyuyor.', other: '{count} etkinlik seçiminize uyuyor.' },
  'browse.upcoming': { one: 'Yakında {count} etkinlik var.', other: 'Yakında {count} etkinlik var.' },
  'helpWanted.matching': { one: '{count} görev seçiminize uyuyor.', other: '{count} görev seçiminize uyuyor.' },
  'helpWanted.count': { one: '{count} görev için yardımcı aranıyor.', other: '{count} görev için yardımcı aranıyor.' },
  'nav.stayInLanguage': 'Hayır, teşekkürler, {language} devam et',
};

export const fa: FeatureCatalogue<typeof de> = {
  'form.errorEntry': '{label}: {message}',
  'form.errorEntryQuestion': '{label} {message}',
  'browse.matching': { one: '{count} فعالیت با انتخاب شما جور است.', other: '{count} فعالیت با انتخاب شما جور است.' },
  'browse.upcoming': { one: '{count} فعالیت در پیش است.', other: '{count} فعالیت در پیش است.' },
  'helpWanted.matching': { one: '{count} کار با انتخاب شما جور است.', other: '{count} کار با انتخاب شما جور است.' },
  'helpWanted.count': { one: '{count} کار به داوطلب نیاز دارد.', other: '{count} کار به داوطلب نیاز دارد.' },
  'nav.stayInLanguage': 'نه، ممنون، ادامه به {language}',
};
