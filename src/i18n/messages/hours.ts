// Messages shared by every part of volunteer hours: the names of where hours came from, the
// navigation, the privacy export's section.
// German defines the keys; FeatureCatalogue makes every other language supply each of them.
import type { FeatureCatalogue } from './feature-catalogue.ts';

export const de = {
  'privacyData.section.volunteer_hours': "Ehrenamtliche Stunden",
  'privacyData.about.volunteer_hours': "Ihre Stunden: wann, wie lange, was und für welche Organisation, und ob die Organisation sie bestätigt hat.",
};

export const en: FeatureCatalogue<typeof de> = {
  'privacyData.section.volunteer_hours': "Volunteer hours",
  'privacyData.about.volunteer_hours': "Your hours: when, how long, what and for which organisation, and whether the organisation confirmed them.",
};

export const ar: FeatureCatalogue<typeof de> = {
  'privacyData.section.volunteer_hours': "ساعات التطوّع",
  'privacyData.about.volunteer_hours': "ساعاتك: متى، وكم من الوقت، وماذا، ولأيّ منظمة، وهل أكّدتها المنظمة.",
};

export const uk: FeatureCatalogue<typeof de> = {
  'privacyData.section.volunteer_hours': "Години волонтерства",
  'privacyData.about.volunteer_hours': "Ваші години: коли, скільки, що і для якої організації, і чи організація їх підтвердила.",
};

export const tr: FeatureCatalogue<typeof de> = {
  'privacyData.section.volunteer_hours': "Gönüllülük saatleri",
  'privacyData.about.volunteer_hours': "Saatleriniz: ne zaman, ne kadar, ne ve hangi kuruluş için; kuruluşun onaylayıp onaylamadığı.",
};

export const fa: FeatureCatalogue<typeof de> = {
  'privacyData.section.volunteer_hours': "ساعت‌های داوطلبی",
  'privacyData.about.volunteer_hours': "ساعت‌های شما: کی، چه مدت، چه کاری و برای کدام سازمان، و اینکه سازمان آن‌ها را تأیید کرده یا نه.",
};
